package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.pool.internal.schema.ConnectorSchemaTest;

/** A type's JSON Schema: checked before its connector, the source of its secrets, served per part. */
class PropsSchemaTest {
    @TempDir
    Path data;

    private final FakeConnector fake = new FakeConnector();

    private PoolHarness poolWithSchema() throws Exception {
        PoolHarness pool = new PoolHarness(data);
        pool.registry.factoryAdded("fake", fake, new Registration(0, 1, "com.example.fake", "1.0.0",
                ConnectorSchemaTest.echo()));
        return pool;
    }

    @Test
    void propsThatBreakTheSchemaAreRefusedNamingEachPropBeforeTheConnectorSeesThem() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class, () -> pool.registry
                    .create("c1", "fake", Map.of("server", "tcp://h", "protocolVersion", "7", "keepAlive", "x")));
            assertEquals(ConnectionPoolException.Reason.INVALID, refused.reason());
            assertTrue(refused.getMessage().startsWith("invalid props: "), refused.getMessage());
            assertTrue(refused.getMessage().contains("protocolVersion: does not have a value in the enumeration"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("keepAlive: string found, integer expected"),
                    refused.getMessage());
            assertFalse(refused.getMessage().contains("missing host property"), "the connector was not asked");
            assertEquals(List.of(), pool.registry.list(true), "nothing stored");
            assertEquals(0, fake.instances.size());
        }
    }

    @Test
    void propsThatConformAreThenCheckedByTheConnector() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                    () -> pool.registry.create("c1", "fake", Map.of("server", "tcp://h")));
            assertEquals("invalid props: host: missing host property", refused.getMessage());
            pool.registry.create("c1", "fake", Map.of("server", "tcp://h", "host", "h", "backoffMaxMillis", 500));
        }
    }

    @Test
    void anUpdateThatBreaksTheSchemaChangesNothing() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            pool.registry.create("c1", "fake", Map.of("server", "tcp://h", "host", "h"));
            assertThrows(ConnectionPoolException.class, () -> pool.registry.update("c1", "fake",
                    Map.of("server", "tcp://h", "host", "h", "optional", Map.of("Qos", 7))));
            assertEquals(Map.of("server", "tcp://h", "host", "h"), pool.registry.get("c1").orElseThrow().props());
        }
    }

    @Test
    void sourceAndSinkPropsAreCheckedByTheirParts() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            assertEquals(List.of("topic"), pool.registry.validateProps("FAKE", SchemaPart.SINK, Map.of()).stream()
                    .map(PropError::prop).toList());
            assertEquals(List.of(), pool.registry.validateProps("fake", SchemaPart.SOURCE, Map.of("qos", 2)));
            assertEquals(List.of(), pool.registry.validateProps("other", SchemaPart.SINK, Map.of()));
        }
    }

    @Test
    void theSchemasWriteOnlyPropsAreTheSecretsInsteadOfSecretProps() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            pool.registry.create("c1", "fake", Map.of("server", "tcp://h", "host", "h", "signature", "S1",
                    "passphrase", "shown", "optional", Map.of("Seal", "S2")));
            assertEquals(Map.of("server", "tcp://h", "host", "h", "signature", "******", "passphrase", "shown",
                    "optional", Map.of("Seal", "******")), pool.registry.get("c1").orElseThrow().props());
            assertEquals(Map.of("fake", Set.of("signature", "Seal", "stamp")), pool.stored().secretProps());
        }
    }

    @Test
    void aSecretThatOnlyAProvidersSchemaDeclaresIsMaskedEvenAfterTheProviderLeaves() throws Exception {
        try (PoolHarness pool = new PoolHarness(data)) {
            pool.registry.providerSchemaAdded("echo", new Registration(0, 7, "com.example.echo", "1.0.0",
                    ConnectorSchemaTest.echo()));
            assertEquals(Map.of("topic", "t", "stamp", "******"),
                    pool.registry.maskSecrets("echo", Map.of("topic", "t", "stamp", "S3"), Set.of()));
            assertEquals(List.of("topic"), pool.registry.validateProps("echo", SchemaPart.SINK, Map.of()).stream()
                    .map(PropError::prop).toList());

            pool.registry.providerSchemaRemoved(7);
            assertEquals(List.of(), pool.registry.validateProps("echo", SchemaPart.SINK, Map.of()));
            assertEquals(Map.of("stamp", "******"),
                    pool.registry.maskSecrets("echo", Map.of("stamp", "S3"), Set.of()));
        }
    }

    @Test
    void theInstalledTypesNameTheirFactorysBundle() throws Exception {
        try (PoolHarness pool = poolWithSchema()) {
            Registration registration = pool.registry.installed().get("fake");
            assertEquals("com.example.fake", registration.bundle());
            assertEquals("1.0.0", registration.version());
            assertTrue(pool.registry.schema("Fake").isPresent());
        }
    }
}
