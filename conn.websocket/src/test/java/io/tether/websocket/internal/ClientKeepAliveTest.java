package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.Status;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;
import io.tether.testkit.WebSocketTestServer;

/**
 * The client's pings notice a server that stops answering while the link stays open (a frozen host, a dropped NAT
 * entry), long before TCP would, and report it as a lost link: the pool dials again with its backoff.
 */
class ClientKeepAliveTest {
    private static final int PING_INTERVAL_MILLIS = 200;

    private WebSocketTestServer server;
    private WebSocketRig rig;

    @BeforeEach
    void start() throws Exception {
        server = WebSocketTestServer.start(Peers.freePort());
        rig = new WebSocketRig(TestPool.builder().backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1))
                .dialTimeout(Duration.ofSeconds(1)).build());
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
        server.close();
    }

    @Test
    void aServerThatStopsAnsweringIsReportedLostAndRejoinedWhenItAnswersAgain() throws Exception {
        RecordingSourceContext source = source(PING_INTERVAL_MILLIS);
        Poll.until("connected", () -> source.states().contains(Status.CONNECTED), source::states);
        source.statuses.clear();

        server.freeze();
        long frozen = System.nanoTime();
        String expected = "no pong within " + PING_INTERVAL_MILLIS + " ms";
        Poll.until("the silence is reported as a lost link", Duration.ofSeconds(3),
                () -> source.statuses.stream().anyMatch(s -> s.status() == Status.DISCONNECTED
                        && s.err() != null && s.err().contains(expected)),
                () -> source.statuses);
        System.out.printf("lost %d ms after the server froze%n",
                Duration.ofNanos(System.nanoTime() - frozen).toMillis());

        server.thaw();
        source.statuses.clear();
        Poll.until("connected again", () -> source.states().contains(Status.CONNECTED), source::states);
        Poll.until("data flows", () -> {
            server.broadcast("again");
            try {
                return "again".equals(source.next(Duration.ofMillis(100)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aLiveServerKeepsTheConnectionAcrossManyPings() throws Exception {
        RecordingSourceContext source = source(PING_INTERVAL_MILLIS);
        Poll.until("connected", () -> source.states().contains(Status.CONNECTED), source::states);
        int before = server.pings();
        Poll.until("several pings answered", Duration.ofSeconds(5), () -> server.pings() >= before + 5,
                server::pings);
        assertFalse(source.states().contains(Status.DISCONNECTED), () -> "never lost: " + source.statuses);
        assertEquals(1, server.handshakes().size(), "never dialled again");
        server.broadcast("still");
        assertEquals("still", source.next(Duration.ofSeconds(5)));

        source.close();
        ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) rig.runtime.timer();
        Poll.until("the last reference's close stops the pings", () -> timer.getQueue().isEmpty(),
                timer::getQueue);
    }

    @Test
    void aRuleHoldingBackLongerThanTheIntervalIsNotTakenForSilence() throws Exception {
        RecordingSourceContext source = source(PING_INTERVAL_MILLIS, 1);
        Poll.until("connected", () -> source.states().contains(Status.CONNECTED), source::states);
        server.broadcast("1");
        server.broadcast("2");
        Poll.until("the rule is full", () -> source.messages.remainingCapacity() == 0);
        // the socket reads nothing while "2" waits for room, so no pong can come in: that must not count
        long until = System.nanoTime() + Duration.ofMillis(5 * PING_INTERVAL_MILLIS).toNanos();
        Poll.until("five intervals pass", () -> System.nanoTime() > until);
        assertFalse(source.states().contains(Status.DISCONNECTED), () -> "never lost: " + source.statuses);
        assertEquals(List.of("1"), source.drain());
        assertEquals("2", source.next(Duration.ofSeconds(5)));
        int before = server.pings();
        Poll.until("pinging again once the rule took it", () -> server.pings() >= before + 2, server::pings);
        assertFalse(source.states().contains(Status.DISCONNECTED), () -> "never lost: " + source.statuses);
        assertEquals(1, server.handshakes().size(), "never dialled again");
    }

    private RecordingSourceContext source(int pingInterval) throws Exception {
        return source(pingInterval, 0);
    }

    private RecordingSourceContext source(int pingInterval, int capacity) throws Exception {
        return rig.source("rule1", "/feed", Map.of("addr", server.addr(), "pingInterval", pingInterval), capacity);
    }
}
