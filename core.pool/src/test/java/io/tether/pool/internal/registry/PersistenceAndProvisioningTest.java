package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.Status;
import io.tether.pool.internal.store.ProvisioningFile;

/** SPEC §6: named connections survive restarts; the provisioning file is applied once per content. */
class PersistenceAndProvisioningTest {
    @TempDir
    Path data;
    @TempDir
    Path home;

    private List<ProvisioningFile.Entry> provisioning(String yaml) throws Exception {
        ProvisioningFile file = new ProvisioningFile(home);
        Files.createDirectories(file.file().getParent());
        Files.writeString(file.file(), yaml);
        return file.read();
    }

    @Test
    void namedConnectionsAreReloadedAtStartAndDialled() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h1"));
            pool.registry.create("c2", "fake", Map.of("host", "h2"));
            pool.registry.delete("c2");
        }
        FakeConnector fake = new FakeConnector();
        try (PoolHarness restarted = new PoolHarness(data).withFactory("fake", fake)) {
            assertEquals(List.of("c1"), restarted.registry.list(true).stream().map(info -> info.id()).toList());
            StatusRecorder.await(() -> restarted.registry.get("c1").orElseThrow().status().status()
                    == Status.CONNECTED, "reloaded connection connected");
            assertEquals("h1", fake.last().props.get("host"));
        }
    }

    @Test
    void anonymousConnectionsAreNeverStored() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            pool.registry.attach("r1", "k", "fake", Map.of("host", "h"), new StatusRecorder());
            assertEquals(1, pool.stored().connections().size());
        }
    }

    @Test
    void aStoreThatCannotBeWrittenRefusesTheChangeAndKeepsTheOldState() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            Files.createDirectories(data.resolve("connections.json.tmp"));
            Files.writeString(data.resolve("connections.json.tmp").resolve("blocker"), "x");
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                    () -> pool.registry.create("c2", "fake", Map.of("host", "h")));
            assertEquals(ConnectionPoolException.Reason.INTERNAL, refused.reason());
            assertTrue(pool.registry.get("c2").isEmpty());
            assertEquals(1, pool.stored().connections().size());
        }
    }

    @Test
    void provisioningIsAppliedOnceAndAgainOnlyWhenItsContentChanges() throws Exception {
        String file = """
                fake:
                  prov1:
                    host: first
                  prov2:
                    host: other
                """;
        try (PoolHarness pool = new PoolHarness(data, provisioning(file)).withFactory("fake", new FakeConnector())) {
            assertEquals("first", pool.registry.get("prov1").orElseThrow().props().get("host"));
            pool.registry.delete("prov2");
            pool.registry.update("prov1", "fake", Map.of("host", "changed-by-api"));
        }
        try (PoolHarness pool = new PoolHarness(data, provisioning(file)).withFactory("fake", new FakeConnector())) {
            assertTrue(pool.registry.get("prov2").isEmpty(), "a deleted connection is not brought back");
            assertEquals("changed-by-api", pool.registry.get("prov1").orElseThrow().props().get("host"));
        }
        String changed = file.replace("host: first", "host: second");
        try (PoolHarness pool = new PoolHarness(data, provisioning(changed)).withFactory("fake", new FakeConnector())) {
            assertEquals("second", pool.registry.get("prov1").orElseThrow().props().get("host"));
            assertTrue(pool.registry.get("prov2").isEmpty());
        }
        String deleting = changed + "    xOperation: delete\n";
        try (PoolHarness pool = new PoolHarness(data, provisioning(deleting)).withFactory("fake", new FakeConnector())) {
            assertTrue(pool.registry.get("prov2").isEmpty());
        }
    }

    @Test
    void provisionedEntryOfATypeNotInstalledYetIsKeptParked() throws Exception {
        try (PoolHarness pool = new PoolHarness(data, provisioning("later:\n  p1:\n    host: h\n"))) {
            assertEquals("connector type 'later' is not installed",
                    pool.registry.get("p1").orElseThrow().status().err());
            assertEquals(1, pool.stored().connections().size());
            pool.withFactory("later", new FakeConnector());
            StatusRecorder.await(() -> pool.registry.get("p1").orElseThrow().status().status() == Status.CONNECTED,
                    "connected once installed");
        }
    }
}
