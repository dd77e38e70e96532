package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.Status;
import io.tether.pool.internal.store.StoreState;
import io.tether.pool.internal.store.StoredConnection;

/** SPEC §4: connector types that come and go while the pool runs. */
class DynamicConnectorTypesTest {
    static final String NOT_INSTALLED = "connector type 'fake' is not installed";

    @TempDir
    Path data;

    @Test
    void connectionsOfAVanishedTypeParkAndComeBackWithTheirReferences() throws Exception {
        FakeConnector fake = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder recorder = new StatusRecorder();
            ConnectionHandle handle = pool.registry.attach("r1", "k", "fake",
                    Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1"), recorder);
            recorder.awaitLast(Status.CONNECTED);
            FakeConnector.FakeConnection first = fake.last();

            pool.registry.factoryRemoved("fake", fake);
            recorder.awaitLast(Status.DISCONNECTED);
            assertEquals(NOT_INSTALLED, recorder.last().err());
            assertEquals(List.of("r1"), pool.registry.get("c1").orElseThrow().status().refs());
            StatusRecorder.await(() -> first.closed, "instance closed with its type");
            assertThrows(ConnectionPoolException.class, () -> handle.as(FakeConnector.FakeConnection.class));
            assertEquals(Set.of(), pool.registry.installedTypes());

            FakeConnector returned = new FakeConnector();
            pool.withFactory("fake", returned);
            recorder.awaitLast(Status.CONNECTED);
            assertNotSame(first, handle.as(FakeConnector.FakeConnection.class));
            assertEquals(1, returned.instances.size());
        }
    }

    @Test
    void storedConnectionsOfATypeNotYetInstalledLoadParkedAndStartWhenItArrives() throws Exception {
        new io.tether.pool.internal.store.ConnectionStore(data).save(new StoreState(
                List.of(new StoredConnection("c1", "fake", Map.of("host", "h", "password", "pw"))), Map.of()));
        try (PoolHarness pool = new PoolHarness(data)) {
            assertEquals(Status.DISCONNECTED, pool.registry.get("c1").orElseThrow().status().status());
            assertEquals(NOT_INSTALLED, pool.registry.get("c1").orElseThrow().status().err());
            assertEquals("******", pool.registry.get("c1").orElseThrow().props().get("password"));
            pool.withFactory("fake", new FakeConnector());
            StatusRecorder.await(() -> pool.registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                    "connected once the type arrives");
        }
    }

    @Test
    void whileTheRuntimeStartsACreateOfATypeNotInstalledYetWaitsForIt() throws Exception {
        try (PoolHarness pool = new PoolHarness(data)) {
            pool.registry.runtimeStarting(true);
            CompletableFuture<ConnectionInfo> created = CompletableFuture.supplyAsync(
                    () -> pool.registry.create("c1", "fake", Map.of("host", "h")));
            StatusRecorder.await(() -> pool.registry.installedTypes().isEmpty() && !created.isDone(),
                    "the create waits for its type");
            pool.withFactory("fake", new FakeConnector());
            assertEquals("c1", created.get(10, TimeUnit.SECONDS).id());
        }
    }

    @Test
    void aChangeWaitingForItsStartingTypeDoesNotHoldUpTheOthers() throws Exception {
        new io.tether.pool.internal.store.ConnectionStore(data).save(new StoreState(
                List.of(new StoredConnection("waits", "fake", Map.of("host", "h"))), Map.of()));
        try (PoolHarness pool = new PoolHarness(data, true).withFactory("other", new FakeConnector())) {
            CompletableFuture<ConnectionInfo> update = CompletableFuture.supplyAsync(
                    () -> pool.registry.update("waits", null, Map.of("host", "h2")));
            CompletableFuture<ConnectionInfo> create = CompletableFuture.supplyAsync(
                    () -> pool.registry.create("waitsFor", "fake", Map.of("host", "h")));
            StatusRecorder.await(() -> !update.isDone() && !create.isDone(), "both wait for their type");

            assertEquals("c2", pool.registry.create("c2", "other", Map.of("host", "h")).id());
            pool.registry.update("c2", null, Map.of("host", "h3"));
            pool.registry.delete("c2");
            assertTrue(!update.isDone() && !create.isDone(), "still waiting");

            pool.withFactory("fake", new FakeConnector());
            assertEquals("h2", update.get(10, TimeUnit.SECONDS).props().get("host"));
            assertEquals("waitsFor", create.get(10, TimeUnit.SECONDS).id());
        }
    }

    @Test
    void whenTheRuntimeHasStartedAMissingTypeIsRefusedAtOnceAndWaitersAreReleased() throws Exception {
        try (PoolHarness pool = new PoolHarness(data)) {
            pool.registry.runtimeStarting(true);
            CompletableFuture<ConnectionInfo> waiting = CompletableFuture.supplyAsync(
                    () -> pool.registry.create("c1", "fake", Map.of("host", "h")));
            pool.registry.runtimeStarting(false);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().startsWith(NOT_INSTALLED), refused.getCause().getMessage());
            assertThrows(ConnectionPoolException.class, () -> pool.registry.create("c2", "fake", Map.of("host", "h")));
        }
    }

    @Test
    void aStoredConnectionWaitingForItsTypeSaysNotYetUntilTheRuntimeHasStarted() throws Exception {
        new io.tether.pool.internal.store.ConnectionStore(data).save(new StoreState(
                List.of(new StoredConnection("c1", "fake", Map.of("host", "h"))), Map.of()));
        try (PoolHarness pool = new PoolHarness(data, true)) {
            assertEquals(NOT_INSTALLED + " yet (the runtime is starting)",
                    pool.registry.get("c1").orElseThrow().status().err());
            pool.registry.runtimeStarting(false);
            assertEquals(NOT_INSTALLED, pool.registry.get("c1").orElseThrow().status().err());
        }
    }

    @Test
    void aHigherRankedFactoryTakesOverAndTheOtherTakesBackWhenItLeaves() throws Exception {
        FakeConnector low = new FakeConnector();
        FakeConnector high = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data)) {
            pool.registry.factoryAdded("fake", low, 0, 1);
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder.await(() -> low.instances.size() == 1, "low-ranked instance");
            pool.registry.factoryAdded("fake", high, 10, 2);
            StatusRecorder.await(() -> high.instances.size() == 1 && low.last().closed, "high-ranked takes over");
            pool.registry.factoryRemoved("fake", high);
            StatusRecorder.await(() -> low.instances.size() == 2, "low-ranked takes back");
            StatusRecorder.await(() -> pool.registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                    "connected");
        }
    }

    @Test
    void anonymousConnectionsParkToo() throws Exception {
        FakeConnector fake = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            StatusRecorder recorder = new StatusRecorder();
            ConnectionHandle handle = pool.registry.attach("r1", "k", "fake", Map.of("host", "h"), recorder);
            recorder.awaitLast(Status.CONNECTED);
            pool.registry.factoryRemoved("fake", fake);
            recorder.awaitLast(Status.DISCONNECTED);
            assertTrue(pool.registry.get(handle.connectionId()).isPresent());
            pool.withFactory("fake", fake);
            recorder.awaitLast(Status.CONNECTED);
        }
    }
}
