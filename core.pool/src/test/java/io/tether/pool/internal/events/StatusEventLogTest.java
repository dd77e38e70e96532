package io.tether.pool.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;

class StatusEventLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_MILLIS = 1_700_000_000_000L;

    private long now = START_MILLIS;
    private final StatusEventLog log = new StatusEventLog(3, () -> now);

    @Test
    void aNewClientGetsASnapshotOfEveryConnectionThenEachChange() throws Exception {
        log.statusChanged(info("a", Status.CONNECTING, null), 1);
        log.statusChanged(info("a", Status.CONNECTED, null), 1);
        log.statusChanged(info("b", Status.DISCONNECTED, "refused"), 1);

        Recorder client = new Recorder();
        log.subscribe(null, client);
        now += 5;
        log.statusChanged(info("b", Status.CONNECTING, "refused"), 2);

        assertEquals(List.of(StatusEvent.SNAPSHOT, StatusEvent.STATUS), client.names());
        JsonNode snapshot = JSON.readTree(client.events.get(0).json());
        assertEquals(2, snapshot.size());
        assertEquals("a", snapshot.get(0).get("id").asText());
        assertEquals("connected", snapshot.get(0).get("status").asText());
        assertEquals("refused", snapshot.get(1).get("err").asText());
        JsonNode change = JSON.readTree(client.events.get(1).json());
        assertEquals("b", change.get("id").asText());
        assertEquals("fake", change.get("typ").asText());
        assertEquals("connecting", change.get("status").asText());
        assertEquals(START_MILLIS + 5, change.get("at").asLong());
        assertEquals(2, change.get("generation").asLong());
        assertEquals(client.events.get(0).id() + 1, client.events.get(1).id(), "ids follow each other");
    }

    @Test
    void aDeletedConnectionIsAnEventAndLeavesTheSnapshot() throws Exception {
        log.statusChanged(info("a", Status.CONNECTED, null), 1);
        Recorder before = new Recorder();
        log.subscribe(null, before);
        log.removed(info("a", Status.CONNECTED, null), 2);
        Recorder after = new Recorder();
        log.subscribe(null, after);

        assertEquals(List.of(StatusEvent.SNAPSHOT, StatusEvent.DELETED), before.names());
        assertEquals("deleted", JSON.readTree(before.events.get(1).json()).get("status").asText());
        assertEquals("[]", after.events.get(0).json());
    }

    @Test
    void aClientResumingWithLastEventIdGetsWhatItMissedAndNoSnapshot() {
        log.statusChanged(info("a", Status.CONNECTING, null), 1);
        Recorder first = new Recorder();
        log.subscribe(null, first);
        log.statusChanged(info("a", Status.CONNECTED, null), 1);
        long seen = first.events.get(1).id();
        log.unsubscribe(first);
        log.statusChanged(info("a", Status.DISCONNECTED, "lost"), 1);
        log.statusChanged(info("a", Status.CONNECTING, "lost"), 2);

        Recorder resumed = new Recorder();
        log.subscribe(Long.toString(seen), resumed);

        assertEquals(List.of(StatusEvent.STATUS, StatusEvent.STATUS), resumed.names());
        assertEquals(List.of(seen + 1, seen + 2), resumed.ids());
    }

    @Test
    void aClientUpToDateGetsNothingUntilTheNextChange() {
        log.statusChanged(info("a", Status.CONNECTED, null), 1);
        Recorder first = new Recorder();
        log.subscribe(null, first);

        Recorder resumed = new Recorder();
        log.subscribe(Long.toString(first.events.get(0).id()), resumed);

        assertEquals(List.of(), resumed.events);
    }

    @Test
    void aClientAwayLongerThanTheReplayOrFromAnEarlierRunGetsASnapshot() {
        Recorder first = new Recorder();
        log.subscribe(null, first);
        long seen = first.events.get(0).id();
        for (int i = 0; i < 5; i++) {
            log.statusChanged(info("a", i % 2 == 0 ? Status.CONNECTED : Status.CONNECTING, null), i);
        }
        Recorder tooLate = new Recorder();
        log.subscribe(Long.toString(seen), tooLate);
        Recorder earlierRun = new Recorder();
        log.subscribe(Long.toString(Long.MAX_VALUE), earlierRun);
        Recorder garbage = new Recorder();
        log.subscribe("x", garbage);

        assertEquals(List.of(StatusEvent.SNAPSHOT), tooLate.names());
        assertEquals(List.of(StatusEvent.SNAPSHOT), earlierRun.names());
        assertEquals(List.of(StatusEvent.SNAPSHOT), garbage.names());
    }

    @Test
    void idsOfALaterRunAreAboveThoseOfAnEarlierOne() {
        Recorder earlier = new Recorder();
        log.subscribe(null, earlier);
        for (int i = 0; i < 100; i++) {
            log.statusChanged(info("a", Status.CONNECTED, null), i);
        }
        now += 1;
        StatusEventLog restarted = new StatusEventLog(3, () -> now);
        Recorder later = new Recorder();
        restarted.subscribe(null, later);

        assertTrue(later.events.get(0).id() > earlier.events.get(earlier.events.size() - 1).id());
    }

    @Test
    void aClientThatCannotTakeAnEventIsDroppedAndTheOthersGoOn() {
        Recorder slow = new Recorder();
        slow.capacity = 2;
        Recorder healthy = new Recorder();
        log.subscribe(null, slow);
        log.subscribe(null, healthy);

        for (int i = 0; i < 5; i++) {
            log.statusChanged(info("a", Status.CONNECTED, null), i);
        }

        assertTrue(slow.dropped, "the slow client was dropped");
        assertEquals(2, slow.events.size());
        assertEquals(6, healthy.events.size());
        assertEquals(1, log.clients());
        assertEquals(1, log.dropped());
    }

    @Test
    void aClientThatMissesAHeartbeatIsDropped() {
        Recorder gone = new Recorder();
        gone.capacity = 1;
        log.subscribe(null, gone);
        Recorder alive = new Recorder();
        log.subscribe(null, alive);

        log.heartbeat();

        assertTrue(gone.dropped);
        assertFalse(alive.dropped);
        assertEquals(1, alive.heartbeats);
        assertEquals(1, log.clients());
    }

    @Test
    void onlyTheLastReplayEventsAreKept() {
        Recorder first = new Recorder();
        log.subscribe(null, first);
        for (int i = 0; i < 4; i++) {
            log.statusChanged(info("a", Status.CONNECTED, null), i);
        }
        long secondEvent = first.events.get(1).id();

        Recorder resumed = new Recorder();
        log.subscribe(Long.toString(secondEvent), resumed);

        assertEquals(3, resumed.events.size(), "the replay holds 3 events: " + resumed.ids());
    }

    private static ConnectionInfo info(String id, Status status, String err) {
        return new ConnectionInfo(id, "fake", java.util.Map.of(), true,
                new ConnectionStatus(status, err, 0, 0, 0, List.of()));
    }

    /** Takes events up to its capacity, then refuses, as a client that stopped reading. */
    private static final class Recorder implements StatusEventLog.Subscriber {
        final List<StatusEvent> events = new ArrayList<>();
        int capacity = Integer.MAX_VALUE;
        int heartbeats;
        boolean dropped;

        @Override
        public boolean offer(StatusEvent event) {
            if (events.size() + heartbeats >= capacity) {
                return false;
            }
            events.add(event);
            return true;
        }

        @Override
        public boolean heartbeat() {
            if (events.size() + heartbeats >= capacity) {
                return false;
            }
            heartbeats++;
            return true;
        }

        @Override
        public void dropped() {
            dropped = true;
        }

        List<String> names() {
            return events.stream().map(StatusEvent::name).toList();
        }

        List<Long> ids() {
            return events.stream().map(StatusEvent::id).toList();
        }
    }
}
