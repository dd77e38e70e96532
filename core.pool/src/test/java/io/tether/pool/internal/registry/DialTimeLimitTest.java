package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/** SPEC §3: a dial that overruns its time limit is abandoned, reported and retried; dial and ping never overlap. */
class DialTimeLimitTest {
    @TempDir
    Path data;

    private static String err(PoolHarness pool, String id) {
        return pool.registry.get(id).orElseThrow().status().err();
    }

    private static Status status(PoolHarness pool, String id) {
        return pool.registry.get(id).orElseThrow().status().status();
    }

    @Test
    void aDialPastThePoolsTimeLimitIsReportedItsInstanceClosedAndRetriedWithBackoff() throws Exception {
        FakeConnector fake = new FakeConnector();
        fake.dialsHang = true;
        try (PoolHarness pool = new PoolHarness(data, PoolHarness.fastWithDialTimeout(Duration.ofMillis(100)))
                .withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder recorder = new StatusRecorder();
            pool.registry.attach("r1", "k", "fake", Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1"), recorder);
            // reported disconnected (it never connected); the retry that follows at once shows connecting again
            StatusRecorder.await(() -> recorder.seen.stream().anyMatch(seen -> seen.status() == Status.DISCONNECTED
                    && "dial did not finish within 100 ms".equals(seen.err())),
                    "the overrun reported, saw " + recorder.seen);
            FakeConnector.FakeConnection first = fake.instances.get(0);
            StatusRecorder.await(() -> first.closed, "the abandoned instance closed");
            StatusRecorder.await(() -> fake.instances.size() >= 2, "a retry with a fresh instance");

            fake.dialsHang = false;
            StatusRecorder.await(() -> status(pool, "c1") == Status.CONNECTED, "connected once dials return");
            assertEquals(null, err(pool, "c1"));
        }
    }

    @Test
    void aConnectionsOwnDialTimeLimitOverridesThePoolsAndStaysAwayFromTheConnector() throws Exception {
        FakeConnector fake = new FakeConnector();
        fake.dialsHang = true;
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h", "dialTimeoutMillis", 150));
            StatusRecorder.await(() -> "dial did not finish within 150 ms".equals(err(pool, "c1")),
                    "the overrun reported, saw " + err(pool, "c1"));
            assertFalse(fake.instances.get(0).props.containsKey("dialTimeoutMillis"));
            assertEquals(150, pool.registry.get("c1").orElseThrow().props().get("dialTimeoutMillis"));
        }
    }

    @Test
    void aConnectorReadsItsDialAndPingTimeLimitsFromItsContext() throws Exception {
        FakeConnector fake = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data, PoolHarness.fastWithDialTimeout(Duration.ofMillis(700)))
                .withFactory("fake", fake)) {
            pool.registry.create("pooled", "fake", Map.of("host", "h"));
            pool.registry.create("own", "fake", Map.of("host", "h", "dialTimeoutMillis", 150));
            StatusRecorder.await(() -> fake.instances.size() == 2, "both instances created");

            for (FakeConnector.FakeConnection instance : fake.instances) {
                Duration expected = Duration.ofMillis(instance.context.connectionId().equals("own") ? 150 : 700);
                assertEquals(expected, instance.context.dialTimeout());
                assertEquals(PoolHarness.FAST.pingTimeout(), instance.context.pingTimeout());
            }
        }
    }

    @Test
    void aConnectorThatIgnoresInterruptsIsReportedAndDoesNotStarveThePool() throws Exception {
        FakeConnector deaf = new FakeConnector();
        CountDownLatch release = new CountDownLatch(1);
        deaf.deafUntil = release;
        FakeConnector fine = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data, PoolHarness.fastWithDialTimeout(Duration.ofMillis(100)))
                .withFactory("deaf", deaf).withFactory("fake", fine)) {
            int bound = pool.workers.size();
            for (int i = 0; i < bound + 2; i++) {
                pool.registry.create("deaf" + i, "deaf", Map.of("host", "h"));
            }
            for (int i = 0; i < bound + 2; i++) {
                String id = "deaf" + i;
                StatusRecorder.await(() -> err(pool, id) != null && err(pool, id).contains("ignores interrupts"),
                        id + " reported as ignoring interrupts, saw " + err(pool, id));
            }
            assertEquals("dial did not finish within 100 ms and ignores interrupts: connector deaf keeps a thread "
                    + "blocked", err(pool, "deaf0"));
            assertEquals(bound + 2, deaf.dials.get(), "no second dial while the first holds a thread");

            pool.registry.create("ok", "fake", Map.of("host", "h"));
            StatusRecorder.await(() -> status(pool, "ok") == Status.CONNECTED, "another connection still dials");
            assertEquals(bound + bound + 2, pool.workers.size(), "one stand-in per blocked thread");

            deaf.deafUntil = null;
            release.countDown();
            StatusRecorder.await(() -> pool.workers.size() == bound, "stand-ins gone once the threads return");
            for (int i = 0; i < bound + 2; i++) {
                String id = "deaf" + i;
                StatusRecorder.await(() -> status(pool, id) == Status.CONNECTED, id + " connected in the end");
            }
        }
    }

    @Test
    void dialAndPingAreNeverConcurrentOnAnInstance() throws Exception {
        FakeConnector fake = new FakeConnector();
        ConnectionRegistry.Settings patientPings = new ConnectionRegistry.Settings(PoolHarness.FAST.backoff(),
                PoolHarness.FAST.pingInterval(), Duration.ofSeconds(30));
        try (PoolHarness pool = new PoolHarness(data, patientPings).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder.await(() -> status(pool, "c1") == Status.CONNECTED, "connected");
            CountDownLatch pingGate = new CountDownLatch(1);
            fake.pingGate = pingGate;
            int pingsBefore = fake.pings.get();
            StatusRecorder.await(() -> fake.pings.get() > pingsBefore, "a ping in flight");
            FakeConnector.FakeConnection instance = fake.last();
            int dialsBefore = fake.dials.get();
            instance.context.statusSink().disconnected("link lost");

            // the re-dial falls due within the backoff's 50 ms cap; it must wait for the ping
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < until) {
                assertEquals(dialsBefore, fake.dials.get(), "a dial started while the ping ran");
                Thread.sleep(10);
            }
            fake.pingGate = null;
            pingGate.countDown();
            StatusRecorder.await(() -> fake.dials.get() > dialsBefore && status(pool, "c1") == Status.CONNECTED,
                    "re-dialled once the ping returned");
            assertEquals(1, fake.mostConcurrentOperations.get());
            assertEquals(1, fake.instances.size());
        }
    }

    @Test
    void aPingPastItsTimeLimitIsALossAndAFreshInstanceIsDialledOnceTheBlockedPingReturns() throws Exception {
        FakeConnector fake = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder.await(() -> status(pool, "c1") == Status.CONNECTED, "connected");
            FakeConnector.FakeConnection first = fake.last();
            CountDownLatch pingGate = new CountDownLatch(1);
            fake.pingGate = pingGate;
            StatusRecorder.await(() -> err(pool, "c1") != null && err(pool, "c1").startsWith(
                    "ping did not finish within 200 ms and ignores interrupts"), "the blocked ping reported, saw "
                    + err(pool, "c1"));
            assertTrue(first.closed);
            assertEquals(1, fake.instances.size(), "no dial while the ping holds its thread");

            fake.pingGate = null;
            pingGate.countDown();
            StatusRecorder.await(() -> status(pool, "c1") == Status.CONNECTED && fake.instances.size() == 2,
                    "a fresh instance connected");
        }
    }

    @Test
    void aDeleteDuringADialClosesTheInstanceWhichAbortsTheDial() throws Exception {
        FakeConnector fake = new FakeConnector();
        fake.dialsHang = true;
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            StatusRecorder.await(() -> !fake.instances.isEmpty() && fake.last().dialing, "dialling");
            FakeConnector.FakeConnection instance = fake.last();
            pool.registry.delete("c1");
            assertTrue(instance.closedDuringDial);
            StatusRecorder.await(() -> !instance.dialing, "the dial aborted");
            assertTrue(pool.registry.get("c1").isEmpty());
        }
    }

    @Test
    void anUpdateDuringADialClosesTheOldInstanceAndDialsTheNewOne() throws Exception {
        FakeConnector fake = new FakeConnector();
        fake.dialsHang = true;
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            pool.registry.attach("r1", "k", "fake", Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1"),
                    new StatusRecorder());
            StatusRecorder.await(() -> !fake.instances.isEmpty() && fake.last().dialing, "dialling");
            FakeConnector.FakeConnection old = fake.last();
            fake.dialsHang = false;
            pool.registry.update("c1", "fake", Map.of("host", "h2"));
            StatusRecorder.await(() -> old.closedDuringDial && !old.dialing, "the old dial aborted by its close");
            StatusRecorder.await(() -> status(pool, "c1") == Status.CONNECTED, "the new instance connected");
            assertEquals("h2", fake.last().props.get("host"));
        }
    }
}
