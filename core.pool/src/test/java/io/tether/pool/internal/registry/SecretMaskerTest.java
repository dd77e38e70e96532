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
    void masksEverySecretLookingPropNameInAnyCase() {
        Map<String, Object> props = new java.util.LinkedHashMap<>();
        for (String name : List.of("passwd", "PASSWORD", "dbPwd", "clientSecret", "accessToken", "apiKey", "API_KEY",
                "x-api-key", "privateKey", "PrivateKeyPath", "credentials", "userCredential")) {
            props.put(name, "v");
        }
        props.put("user", "u");
        props.put("keepAlive", 30);
        Map<String, Object> masked = SecretMasker.mask(props, Set.of());
        props.keySet().stream().filter(name -> !name.equals("user") && !name.equals("keepAlive"))
                .forEach(name -> assertEquals("******", masked.get(name), name));
        assertEquals("u", masked.get("user"));
        assertEquals(30, masked.get("keepAlive"));
    }

    @Test
    void masksPasswordsInUrlsOfAnySchemeAndInSecretParametersAnywhereInAText() {
        Map<String, String> cases = Map.of(
                "jdbc:postgresql://h/db?user=u&password=PW", "jdbc:postgresql://h/db?user=u&password=******",
                "jdbc:mysql://u:PW@h/db", "jdbc:mysql://u:******@h/db",
                "postgres://u:PW@h/db", "postgres://u:******@h/db",
                "server tcp://usr:PW@127.0.0.1:notaport has no host",
                "server tcp://usr:******@127.0.0.1:notaport has no host",
                "jdbc:sqlserver://h;user=u;password=PW;db=x", "jdbc:sqlserver://h;user=u;password=******;db=x",
                "mysql://root:p@ss@db:3306/test and then pwd=PW2 failed",
                "mysql://root:******@db:3306/test and then pwd=****** failed",
                "tcp://127.0.0.1:1883 refused; user@example.com", "tcp://127.0.0.1:1883 refused; user@example.com",
                "wss://h/path?token=PW&x=1", "wss://h/path?token=******&x=1");
        cases.forEach((text, expected) -> assertEquals(expected, SecretMasker.maskText(text), text));
        assertEquals(null, SecretMasker.maskText(null));
        assertEquals("plain words", SecretMasker.maskText("plain words"));
        assertEquals(Map.of("url", "jdbc:postgresql://h/db?user=u&password=******"),
                SecretMasker.mask(Map.of("url", "jdbc:postgresql://h/db?user=u&password=PW"), Set.of()));
    }

    @Test
    void oddValuesNeverThrow() {
        Map<String, Object> cyclic = new java.util.HashMap<>();
        cyclic.put("self", cyclic);
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(null, "tcp://u:PW@h");
        props.put("nothing", null);
        props.put("password", null);
        props.put("nested", List.of(Map.of("token", "t", "deeper", List.of(List.of("postgres://u:PW@h/db")))));
        props.put("array", new Object[] {"tcp://u:PW@h", 1});
        props.put("bytes", new byte[] {1, 2});
        props.put("cyclic", cyclic);
        Map<String, Object> masked = SecretMasker.mask(props, null);
        assertEquals("tcp://u:******@h", masked.get("null"));
        assertEquals(null, masked.get("nothing"));
        assertEquals(null, masked.get("password"));
        assertEquals(List.of(Map.of("token", "******", "deeper", List.of(List.of("postgres://u:******@h/db")))),
                masked.get("nested"));
        assertEquals(List.of("tcp://u:******@h", 1), masked.get("array"));
        assertEquals(null, SecretMasker.mask(null, Set.of()));
    }

    @Test
    void theRegistryMasksWithTheTypesDeclaredNamesAndTheGivenOnes() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            Map<String, Object> masked = pool.registry.maskSecrets("FAKE", Map.of("passphrase", "p", "pin", "1",
                    "host", "h"), Set.of("pin"));
            assertEquals(Map.of("passphrase", "******", "pin", "******", "host", "h"), masked);
            assertEquals(Map.of("passphrase", "p"), pool.registry.maskSecrets(null, Map.of("passphrase", "p"), null));
            assertEquals("at tcp://u:******@h", pool.registry.maskSecrets("at tcp://u:PW@h"));
        }
    }

    @Test
    void maskedSecretsRoundTripThroughAnUpdate() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h", "password", "s3cret",
                    "url", "mysql://root:pw@db/test", "apiKey", "k1", "passphrase", "pp",
                    "dburl", "jdbc:postgresql://h/db?user=u&password=PW", "servers", List.of("tcp://u:s@h:1")));
            ConnectionInfo shown = pool.registry.get("c1").orElseThrow();
            assertEquals("******", shown.props().get("password"));

            Map<String, Object> sentBack = new java.util.HashMap<>(shown.props());
            sentBack.put("host", "h2");
            pool.registry.update("c1", "fake", sentBack);

            Map<String, Object> stored = pool.stored().connections().get(0).props();
            assertEquals("s3cret", stored.get("password"));
            assertEquals("mysql://root:pw@db/test", stored.get("url"));
            assertEquals("k1", stored.get("apiKey"));
            assertEquals("pp", stored.get("passphrase"));
            assertEquals("jdbc:postgresql://h/db?user=u&password=PW", stored.get("dburl"));
            assertEquals(List.of("tcp://u:s@h:1"), stored.get("servers"));
            assertEquals("h2", stored.get("host"));

            sentBack.put("password", "new");
            pool.registry.update("c1", "fake", sentBack);
            assertEquals("new", pool.stored().connections().get(0).props().get("password"));
        }
    }
}
