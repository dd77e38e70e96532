package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectorNotInstalledException;
import io.tether.api.connection.Status;

/** SPEC §1–§3, §5: lifecycles, references and dialling of named and anonymous connections. */
class ConnectionLifecycleTest {
    @TempDir
    Path data;
    FakeConnector fake = new FakeConnector();
    PoolHarness pool;
    ConnectionRegistry registry;

    @BeforeEach
    void start() throws Exception {
        pool = new PoolHarness(data).withFactory("fake", fake);
        registry = pool.registry;
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
    }

    private static Map<String, Object> selector(String id) {
        return Map.of(ConnectionPool.CONNECTION_SELECTOR, id);
    }

    private static Map<String, Object> host() {
        return Map.of("host", "h");
    }

    @Test
    void namedConnectionConnectsInTheBackground() {
        ConnectionInfo created = registry.create("c1", "fake", host());
        assertTrue(created.named());
        StatusRecorder.await(() -> registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                "connected");
        assertEquals(null, registry.get("c1").orElseThrow().status().err());
        assertTrue(registry.get("c1").orElseThrow().status().lastConnected() > 0);
    }

    @Test
    void referenceCountGoesUpAndDown() {
        registry.create("c1", "fake", host());
        ConnectionHandle first = registry.attach("r1", "k", "fake", selector("c1"), new StatusRecorder());
        assertEquals(1, registry.get("c1").orElseThrow().status().refCount());
        ConnectionHandle second = registry.attach("r2", "k", "fake", selector("c1"), new StatusRecorder());
        assertEquals(List.of("r1", "r2"), registry.get("c1").orElseThrow().status().refs());
        registry.detach(second);
        assertEquals(List.of("r1"), registry.get("c1").orElseThrow().status().refs());
        first.close();
        first.close();
        assertEquals(0, registry.get("c1").orElseThrow().status().refCount());
    }

    @Test
    void listenerIsToldTheCurrentStatusAtOnceAndThenEveryChange() {
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        registry.attach("r1", "k", "fake", selector("c1"), recorder);
        recorder.awaitLast(Status.CONNECTED);
        assertFalse(recorder.seen.isEmpty());
    }

    @Test
    void deletingAReferencedConnectionIsRefusedNamingTheReferences() {
        registry.create("c1", "fake", host());
        registry.attach("r2", "k", "fake", selector("c1"), new StatusRecorder());
        registry.attach("r1", "k", "fake", selector("c1"), new StatusRecorder());
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class, () -> registry.delete("c1"));
        assertEquals(Reason.CONFLICT, refused.reason());
        assertEquals("connection c1 can't be dropped due to rule references [r1 r2]", refused.getMessage());
        assertTrue(registry.get("c1").isPresent());
    }

    @Test
    void deletingTwiceIsFineAndTheFirstReturnsWithTheInstanceClosed() {
        registry.create("c1", "fake", host());
        StatusRecorder.await(() -> registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                "connected");
        registry.delete("c1");
        assertTrue(fake.last().closed);
        registry.delete("c1");
        assertTrue(registry.get("c1").isEmpty());
    }

    @Test
    void attachingToADeletedOrMissingConnectionFails() {
        registry.create("c1", "fake", host());
        registry.delete("c1");
        ConnectionPoolException missing = assertThrows(ConnectionPoolException.class,
                () -> registry.attach("r1", "k", "fake", selector("c1"), new StatusRecorder()));
        assertEquals(Reason.NOT_FOUND, missing.reason());
        assertEquals("connection c1 not existed", missing.getMessage());
    }

    @Test
    void selectorToAConnectionOfAnotherTypeFails() {
        FakeConnector other = new FakeConnector();
        pool.withFactory("other", other);
        registry.create("c1", "other", host());
        ConnectionPoolException wrongType = assertThrows(ConnectionPoolException.class,
                () -> registry.attach("r1", "k", "fake", selector("c1"), new StatusRecorder()));
        assertEquals("connection c1 is of type other, not fake", wrongType.getMessage());
    }

    @Test
    void misspelledSelectorIsRefusedClearly() {
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> registry.attach("r1", "k", "fake", Map.of("connentionSelector", "c1"), new StatusRecorder()));
        assertTrue(refused.getMessage().contains("connectionSelector"), refused.getMessage());
    }

    @Test
    void anonymousConnectionIsSharedByKeyAndRemovedWithItsLastReference() {
        ConnectionHandle first = registry.attach("r1", "topic-a", "fake", host(), new StatusRecorder());
        ConnectionHandle second = registry.attach("r2", "topic-a", "fake", host(), new StatusRecorder());
        assertEquals(first.connectionId(), second.connectionId());
        assertTrue(registry.list(false).isEmpty());
        assertEquals(1, registry.list(true).size());
        assertFalse(registry.list(true).get(0).named());
        StatusRecorder.await(() -> second.status().status() == Status.CONNECTED, "connected");
        assertSame(fake.last(), first.as(FakeConnector.FakeConnection.class));

        registry.detach(first);
        assertEquals(1, registry.list(true).size());
        registry.detach(second);
        assertTrue(registry.list(true).isEmpty());
        StatusRecorder.await(() -> fake.last().closed, "anonymous instance closed");
        assertEquals(1, fake.instances.size());
    }

    @Test
    void anonymousConnectionsCannotBeUpdatedOrDeleted() {
        ConnectionHandle handle = registry.attach("r1", "k", "fake", host(), new StatusRecorder());
        String id = handle.connectionId();
        ConnectionPoolException update = assertThrows(ConnectionPoolException.class,
                () -> registry.update(id, "fake", host()));
        assertEquals(Reason.CONFLICT, update.reason());
        assertEquals("internal connection " + id + " can't be edit", update.getMessage());
        assertEquals(Reason.CONFLICT,
                assertThrows(ConnectionPoolException.class, () -> registry.delete(id)).reason());
    }

    @Test
    void slowDialDoesNotBlockCreate() {
        fake.dialGate = new CountDownLatch(1);
        long started = System.nanoTime();
        ConnectionInfo created = registry.create("slow", "fake", host());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 500, "create took " + tookMillis + " ms");
        assertEquals(Status.CONNECTING, created.status().status());
        StatusRecorder.await(() -> fake.dials.get() == 1, "dial started");
        assertEquals(Status.CONNECTING, registry.get("slow").orElseThrow().status().status());
        fake.dialGate.countDown();
        StatusRecorder.await(() -> registry.get("slow").orElseThrow().status().status() == Status.CONNECTED,
                "connected");
    }

    @Test
    void failedDialsRetryWithBackoffUntilTheyWork() {
        fake.outcome = FakeConnector.DialOutcome.FAIL_IO;
        registry.create("c1", "fake", host());
        // a dial shows CONNECTING while it runs: wait for the third to have failed, between two retries
        StatusRecorder.await(() -> fake.dials.get() >= 3
                && registry.get("c1").orElseThrow().status().status() == Status.DISCONNECTED, "three failed dials");
        ConnectionInfo failing = registry.get("c1").orElseThrow();
        assertEquals(Status.DISCONNECTED, failing.status().status());
        assertEquals("connection refused", failing.status().err());
        assertTrue(failing.status().lastTry() > 0);
        fake.outcome = FakeConnector.DialOutcome.SUCCEED;
        StatusRecorder.await(() -> registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                "connected");
        assertEquals(1, fake.instances.size(), "retries reuse the instance");
    }

    @Test
    void aConnectionsOwnBackoffPropsOverrideThePoolsAndStayAwayFromTheConnector() throws Exception {
        try (PoolHarness halfJitter = new PoolHarness(data.resolve("half-jitter"), List.of(), () -> 0.5)
                .withFactory("fake", fake)) {
            fake.outcome = FakeConnector.DialOutcome.FAIL_IO;
            Map<String, Object> slow = Map.of("host", "slow", "backoffInitialMillis", 60_000,
                    "backoffMaxMillis", 120_000);
            halfJitter.registry.create("slow", "fake", slow);
            halfJitter.registry.create("fast", "fake", host());
            StatusRecorder.await(() -> dialsOf(fake, "h") >= 3, "the pool's backoff (≤ 50 ms) redials fast");
            assertEquals(1, dialsOf(fake, "slow"), "the connection's own backoff waits 30 s before redialling");
            assertEquals(Map.of("host", "slow"), fake.instances.stream()
                    .filter(instance -> "slow".equals(instance.props.get("host"))).findFirst().orElseThrow().props);
            assertEquals(slow, halfJitter.registry.get("slow").orElseThrow().props());
            assertEquals(slow, halfJitter.stored().connections().stream()
                    .filter(stored -> stored.id().equals("slow")).findFirst().orElseThrow().props());
        }
    }

    @Test
    void invalidBackoffPropsAreRefusedAndChangeNothing() throws Exception {
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> registry.create("c1", "fake", Map.of("host", "h", "backoffMultiplier", 0.5)));
        assertEquals(Reason.INVALID, refused.reason());
        assertEquals("invalid props: backoffMultiplier: must be a number of at least 1, not 0.5",
                refused.getMessage());
        assertTrue(registry.get("c1").isEmpty());
        assertEquals(List.of(), pool.stored().connections());
    }

    @Test
    void retryNowDialsAtOnceRatherThanAfterTheBackoff() throws Exception {
        try (PoolHarness halfJitter = new PoolHarness(data.resolve("retry-now"), List.of(), () -> 0.5)
                .withFactory("fake", fake)) {
            fake.outcome = FakeConnector.DialOutcome.FAIL_MISSING;
            halfJitter.registry.create("c1", "fake", Map.of("host", "h", "backoffInitialMillis", 60_000,
                    "backoffMaxMillis", 60_000));
            StatusRecorder.await(() -> "no driver installed".equals(
                    halfJitter.registry.get("c1").orElseThrow().status().err()), "the first dial failed");
            fake.outcome = FakeConnector.DialOutcome.SUCCEED;
            fake.last().context.statusSink().retryNow();
            StatusRecorder.await(() -> halfJitter.registry.get("c1").orElseThrow().status().status()
                    == Status.CONNECTED, "connected at once, not after the 30 s backoff delay");
            assertEquals(2, fake.dials.get());
        }
    }

    @Test
    void retryNowDuringADialThatFailsDialsAgainAtOnce() throws Exception {
        try (PoolHarness halfJitter = new PoolHarness(data.resolve("retry-after-dial"), List.of(), () -> 0.5)
                .withFactory("fake", fake)) {
            fake.nextOutcomes.add(FakeConnector.DialOutcome.FAIL_MISSING);
            CountDownLatch gate = new CountDownLatch(1);
            fake.dialGate = gate;
            halfJitter.registry.create("c1", "fake", Map.of("host", "h", "backoffInitialMillis", 60_000,
                    "backoffMaxMillis", 60_000));
            StatusRecorder.await(() -> fake.dials.get() == 1, "the first dial is in flight");
            fake.last().context.statusSink().retryNow();
            fake.dialGate = null;
            gate.countDown();
            StatusRecorder.await(() -> halfJitter.registry.get("c1").orElseThrow().status().status()
                    == Status.CONNECTED, "connected by a second dial right after the first failed");
            assertEquals(2, fake.dials.get());
        }
    }

    private static long dialsOf(FakeConnector fake, String host) {
        return fake.instances.stream().filter(instance -> host.equals(instance.props.get("host")))
                .mapToLong(instance -> instance.ownDials.get()).sum();
    }

    @Test
    void permanentFailureStopsRetrying() throws Exception {
        fake.outcome = FakeConnector.DialOutcome.FAIL_PERMANENT;
        registry.create("c1", "fake", host());
        StatusRecorder.await(() -> "bad credentials".equals(registry.get("c1").orElseThrow().status().err()),
                "permanent failure reported");
        int dials = fake.dials.get();
        Thread.sleep(150);
        assertEquals(dials, fake.dials.get());
        assertEquals(Status.DISCONNECTED, registry.get("c1").orElseThrow().status().status());
    }

    @Test
    void aConnectionWaitingForAMissingResourceIsDisconnectedNotConnecting() {
        fake.stateful = true;
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        registry.attach("r1", "k", "fake", selector("c1"), recorder);
        recorder.awaitLast(Status.CONNECTED);
        fake.outcome = FakeConnector.DialOutcome.FAIL_MISSING;
        fake.last().context.statusSink().disconnected("driver removed");
        StatusRecorder.await(() -> "no driver installed".equals(registry.get("c1").orElseThrow().status().err()),
                "the missing resource reported");
        assertEquals(Status.DISCONNECTED, registry.get("c1").orElseThrow().status().status());
        int dials = fake.dials.get();
        StatusRecorder.await(() -> fake.dials.get() > dials, "still retried");
        fake.outcome = FakeConnector.DialOutcome.SUCCEED;
        recorder.awaitLast(Status.CONNECTED);
    }

    @Test
    void lostLinkIsReportedThenRedialled() {
        fake.stateful = true;
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        registry.attach("r1", "k", "fake", selector("c1"), recorder);
        recorder.awaitLast(Status.CONNECTED);
        recorder.seen.clear();
        fake.outcome = FakeConnector.DialOutcome.FAIL_IO;
        fake.last().context.statusSink().disconnected("broker went away");
        StatusRecorder.await(() -> recorder.seen.size() >= 2, "two reports");
        assertEquals(List.of(Status.DISCONNECTED, Status.CONNECTING), recorder.statuses().subList(0, 2));
        assertEquals("broker went away", recorder.seen.get(0).err());
        fake.outcome = FakeConnector.DialOutcome.SUCCEED;
        recorder.awaitLast(Status.CONNECTED);
        assertTrue(registry.get("c1").orElseThrow().status().lastDisconnected() > 0);
    }

    @Test
    void aLossReportedWhileTheDialIsInFlightFailsThatDial() {
        fake.stateful = true;
        CountDownLatch gate = new CountDownLatch(1);
        fake.dialGate = gate;
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        registry.attach("r1", "k", "fake", selector("c1"), recorder);
        StatusRecorder.await(() -> fake.dials.get() == 1, "dial in flight");
        fake.last().context.statusSink().disconnected("dropped right after CONNACK");
        fake.dialGate = null;
        gate.countDown();

        recorder.awaitLast(Status.CONNECTED);
        assertEquals(2, fake.dials.get(), "the dial that raced the loss does not count; a second one connects");
        List<String> errs = recorder.seen.stream().map(status -> String.valueOf(status.err())).toList();
        assertTrue(errs.contains("dropped right after CONNACK"), errs.toString());
        assertEquals(1, recorder.statuses().stream().filter(Status.CONNECTED::equals).count());
    }

    @Test
    void statelessConnectionIsPingedAndRedialledWhenThePingFails() {
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        registry.attach("r1", "k", "fake", selector("c1"), recorder);
        recorder.awaitLast(Status.CONNECTED);
        fake.pingFails = true;
        fake.outcome = FakeConnector.DialOutcome.FAIL_IO;
        StatusRecorder.await(() -> recorder.statuses().contains(Status.DISCONNECTED), "ping failure seen");
        assertTrue(recorder.seen.stream().anyMatch(status -> "no answer".equals(status.err())));
        fake.pingFails = false;
        fake.outcome = FakeConnector.DialOutcome.SUCCEED;
        recorder.awaitLast(Status.CONNECTED);
    }

    @Test
    void eventsFromAReplacedInstanceAreIgnored() {
        fake.stateful = true;
        registry.create("c1", "fake", host());
        StatusRecorder.await(() -> registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                "connected");
        FakeConnector.FakeConnection old = fake.last();
        registry.update("c1", "fake", Map.of("host", "other"));
        StatusRecorder.await(() -> fake.instances.size() == 2
                && registry.get("c1").orElseThrow().status().status() == Status.CONNECTED, "new instance connected");
        old.context.statusSink().disconnected("late event from the old client");
        assertEquals(Status.CONNECTED, registry.get("c1").orElseThrow().status().status());
        StatusRecorder.await(() -> old.closed, "the replaced instance closed (off the pool's lock)");
    }

    @Test
    void liveUpdateKeepsReferencesAndListeners() {
        registry.create("c1", "fake", host());
        StatusRecorder recorder = new StatusRecorder();
        ConnectionHandle handle = registry.attach("r1", "k", "fake", selector("c1"), recorder);
        recorder.awaitLast(Status.CONNECTED);
        FakeConnector.FakeConnection before = handle.as(FakeConnector.FakeConnection.class);
        recorder.seen.clear();

        ConnectionInfo updated = registry.update("c1", "fake", Map.of("host", "new-host"));
        assertEquals(List.of("r1"), updated.status().refs());
        recorder.awaitLast(Status.CONNECTED);
        assertEquals(Status.CONNECTING, recorder.seen.get(0).status());
        FakeConnector.FakeConnection after = handle.as(FakeConnector.FakeConnection.class);
        assertNotSame(before, after);
        assertEquals("new-host", after.props.get("host"));
        StatusRecorder.await(() -> before.closed, "old instance closed");
    }

    @Test
    void changingTheTypeOfAReferencedConnectionIsRefused() {
        pool.withFactory("other", new FakeConnector());
        registry.create("c1", "fake", host());
        registry.attach("r1", "k", "fake", selector("c1"), new StatusRecorder());
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> registry.update("c1", "other", host()));
        assertEquals("connection c1 can't be dropped due to rule references [r1]", refused.getMessage());
        assertEquals("fake", registry.get("c1").orElseThrow().typ());
    }

    @Test
    void invalidPropsAreRefusedNamingThePropAndChangeNothing() throws Exception {
        registry.create("c1", "fake", host());
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> registry.update("c1", "fake", Map.of("host", "h", "port", "x")));
        assertEquals(Reason.INVALID, refused.reason());
        assertEquals("invalid props: port: port must be an integer", refused.getMessage());
        assertEquals(host(), pool.stored().connections().get(0).props());
        ConnectionPoolException missing = assertThrows(ConnectionPoolException.class,
                () -> registry.create("c2", "fake", Map.of()));
        assertEquals("host", missing.propErrors().get(0).prop());
        assertTrue(registry.get("c2").isEmpty());
    }

    @Test
    void creatingAConnectionOfAnUninstalledTypeNamesTheInstalledOnes() {
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> registry.create("c1", "mqtt", host()));
        assertEquals(Reason.INVALID, refused.reason());
        assertEquals("connector type 'mqtt' is not installed; installed types: [fake]", refused.getMessage());
    }

    /** Consumers that may wait for the type (the rule layer) are told which type is missing, by the exception's type. */
    @Test
    void anAnonymousAttachOfAnUninstalledTypeSaysWhichTypeIsMissing() {
        ConnectorNotInstalledException refused = assertThrows(ConnectorNotInstalledException.class,
                () -> registry.attach("r1", "k", "MQTT", host(), (id, status) -> { }));
        assertEquals(Reason.INVALID, refused.reason());
        assertEquals("mqtt", refused.type());
        assertEquals("connector type 'mqtt' is not installed; installed types: [fake]", refused.getMessage());
        assertEquals(List.of(), registry.list(true));
    }

    @Test
    void duplicateIdIsAConflictAndTypeIsCaseInsensitive() {
        registry.create("c1", "FAKE", host());
        assertEquals("fake", registry.get("c1").orElseThrow().typ());
        assertEquals(Reason.CONFLICT,
                assertThrows(ConnectionPoolException.class, () -> registry.create("c1", "fake", host())).reason());
    }

    @Test
    void listIsSortedById() {
        registry.create("b", "fake", host());
        registry.create("a", "fake", host());
        registry.create("c", "fake", host());
        assertEquals(List.of("a", "b", "c"), registry.list(false).stream().map(ConnectionInfo::id).toList());
    }

    @Test
    void gaugeFollowsNamedConnectionsAndForgetsDeletedOnes() {
        registry.create("c1", "fake", host());
        StatusRecorder.await(() -> pool.observer.named.containsKey("c1")
                && pool.observer.named.get("c1").status() == Status.CONNECTED, "gauge connected");
        registry.delete("c1");
        StatusRecorder.await(() -> !pool.observer.named.containsKey("c1"), "gauge series removed");
    }

    /**
     * The status events and the metrics record a change before a reader can see it, so a client that saw a status
     * through the API never gets an older one from them (a new events client's snapshot), also when a connection is
     * deleted and created again under the same id (two entries, each with its own notifier).
     */
    @Test
    void recordersHoldEveryChangeAReaderCanSee() {
        for (int round = 0; round < 100; round++) {
            registry.create("c1", "fake", host());
            StatusRecorder.await(() -> registry.get("c1").orElseThrow().status().status() == Status.CONNECTED,
                    "c1 connected");
            assertEquals(Status.CONNECTED, pool.observer.named.get("c1").status(), "round " + round);
            registry.delete("c1");
            assertFalse(pool.observer.named.containsKey("c1"), "round " + round);
        }
    }
}
