package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.pool.internal.dial.Backoff;

/** A change of the pool's configuration (ConfigAdmin, @Modified) applies without closing any connection. */
class ReconfigurationTest {
    @TempDir
    Path data;

    @Test
    void newBackoffPingAndThreadSettingsApplyAtOnceAndKeepConnectionsOpen() throws Exception {
        FakeConnector fake = new FakeConnector();
        ConnectionRegistry.Settings slowPings = new ConnectionRegistry.Settings(PoolHarness.FAST.backoff(),
                Duration.ofMinutes(10), Duration.ofSeconds(1));
        try (PoolHarness pool = new PoolHarness(data, slowPings).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder recorder = new StatusRecorder();
            ConnectionHandle handle = pool.registry.attach("r1", "k", "fake",
                    Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1"), recorder);
            recorder.awaitLast(Status.CONNECTED);
            FakeConnector.FakeConnection instance = handle.as(FakeConnector.FakeConnection.class);
            int pingsBefore = fake.pings.get();

            pool.registry.reconfigure(new ConnectionRegistry.Settings(
                    new Backoff(Duration.ofMillis(20), 2, Duration.ofSeconds(1)), Duration.ofMillis(20),
                    Duration.ofMillis(500), Duration.ofSeconds(5)));
            pool.workers.setBound(2);
            StatusRecorder.await(() -> fake.pings.get() >= pingsBefore + 3, "pings at the new interval");

            assertEquals(1, fake.instances.size());
            assertFalse(instance.closed);
            assertEquals(1, instance.ownDials.get());
            assertEquals(Status.CONNECTED, handle.status().status());
            assertEquals(2, pool.workers.size());
        }
    }
}
