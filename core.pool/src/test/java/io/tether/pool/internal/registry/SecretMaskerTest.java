package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;

/** SPEC §5, secrets: what is masked, and that masks sent back keep the stored secrets. */
class SecretMaskerTest {
    @TempDir
    Path data;

    @Test
    void masksSecretKeysDeclaredSecretsNestedMapsAndUrlPasswords() {
        Map<String, Object> props = Map.of(
                "password", "p",
                "apiToken", "t",
                "apiKey", "k",
                "url", "postgres://user:pw@host:5432/db",
                "plainUrl", "tcp://host:1883",
                "optional", Map.of("Password", "x", "ClientId", "c"),
                "servers", List.of("tcp://u:s@h:1"),
                "user", "u");
        Map<String, Object> masked = SecretMasker.mask(props, Set.of("apiKey"));
        assertEquals("******", masked.get("password"));
        assertEquals("******", masked.get("apiToken"));
        assertEquals("******", masked.get("apiKey"));
        assertEquals("postgres://user:******@host:5432/db", masked.get("url"));
        assertEquals("tcp://host:1883", masked.get("plainUrl"));
        assertEquals(Map.of("Password", "******", "ClientId", "c"), masked.get("optional"));
        assertEquals(List.of("tcp://u:******@h:1"), masked.get("servers"));
        assertEquals("u", masked.get("user"));
    }

    @Test
    void maskedSecretsRoundTripThroughAnUpdate() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h", "password", "s3cret",
                    "url", "mysql://root:pw@db/test", "apiKey", "k1"));
            ConnectionInfo shown = pool.registry.get("c1").orElseThrow();
            assertEquals("******", shown.props().get("password"));

            Map<String, Object> sentBack = new java.util.HashMap<>(shown.props());
            sentBack.put("host", "h2");
            pool.registry.update("c1", "fake", sentBack);

            Map<String, Object> stored = pool.stored().connections().get(0).props();
            assertEquals("s3cret", stored.get("password"));
            assertEquals("mysql://root:pw@db/test", stored.get("url"));
            assertEquals("k1", stored.get("apiKey"));
            assertEquals("h2", stored.get("host"));

            sentBack.put("password", "new");
            pool.registry.update("c1", "fake", sentBack);
            assertEquals("new", pool.stored().connections().get(0).props().get("password"));
        }
    }
}
