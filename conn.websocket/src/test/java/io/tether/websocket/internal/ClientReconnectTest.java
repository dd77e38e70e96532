package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;
import io.tether.testkit.WebSocketTestServer;

/**
 * The client follows its server through restarts: the pool re-dials with its backoff, and every attached source and
 * sink works again without any action of their rules.
 */
class ClientReconnectTest {
    /** The pool's backoff in this test: 100 ms × 1.5, capped at 1 s. */
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(1);

    private WebSocketTestServer server;
    private WebSocketRig rig;

    @BeforeEach
    void start() throws Exception {
        server = WebSocketTestServer.start(Peers.freePort());
        rig = new WebSocketRig(TestPool.builder().backoff(Duration.ofMillis(100), 1.5, BACKOFF_MAX).build());
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
        server.close();
    }

    @Test
    void fiveServerRestartsInARowEachReconnectWithinTheBackoffAndDataFlowsAgain() throws Exception {
        // a stopped server is noticed by TCP, and within a second at most by the keep-alive: under load, TCP alone
        // once let the client sit on a dead link past the wait below
        Map<String, Object> props = Map.of("addr", "127.0.0.1:" + server.port(), "pingInterval", 500);
        RecordingSourceContext first = source("rule1", props);
        RecordingSourceContext second = source("rule2", props);
        RecordingSinkContext sink = rig.sink("rule3", Map.of("addr", "127.0.0.1:" + server.port(), "path", "/feed",
                "pingInterval", 500));
        awaitFlow(first, second, sink, "before");
        assertEquals(1, server.clients(), "the sources and the sink share one client per url");
        String id = rig.pool.list(true).get(0).id();

        for (int restart = 1; restart <= 5; restart++) {
            server.stop();
            Poll.until("the loss is noticed", () -> first.states().contains(Status.DISCONNECTED),
                    () -> first.states() + " " + rig.pool.info(id).status() + " clients " + server.clients());
            Set<Long> tries = new HashSet<>();
            Poll.until("the client keeps trying while the server is away", () -> {
                tries.add(rig.pool.info(id).status().lastTry());
                return tries.size() > 2;
            });
            first.statuses.clear();
            server.start();
            long up = System.nanoTime();
            Poll.until("connected again within the backoff", BACKOFF_MAX.multipliedBy(3),
                    () -> first.states().contains(Status.CONNECTED), first::states);
            System.out.printf("restart %d: connected %d ms after the server came back%n", restart,
                    Duration.ofNanos(System.nanoTime() - up).toMillis());
            awaitFlow(first, second, sink, "after restart " + restart);
        }
    }

    @Test
    void aNormalCloseFromTheServerIsFollowedByAReconnect() throws Exception {
        RecordingSourceContext source = source("rule1", Map.of("addr", "127.0.0.1:" + server.port()));
        Poll.until("connected", () -> source.states().contains(Status.CONNECTED));
        source.statuses.clear();
        server.closeClients(1000);
        Poll.until("disconnected, then connected again",
                () -> source.states().indexOf(Status.DISCONNECTED) >= 0
                        && source.states().lastIndexOf(Status.CONNECTED) > source.states().indexOf(Status.DISCONNECTED),
                source::states);
        assertTrue(source.statuses.stream().anyMatch(s -> s.err() != null && s.err().contains("(1000")),
                () -> "the close is the reason: " + source.statuses);
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
    void theHandshakeCarriesTheRequestHeaders() throws Exception {
        String name = "named";
        rig.pool.create(name, WebSocketConnectorFactory.TYPE, Map.of("addr", "127.0.0.1:" + server.port(),
                "path", "/with/headers", "requestHeader", Map.of("Authorization", "Bearer t0ken", "X-Site", "7")));
        rig.pool.awaitStatus(name, Status.CONNECTED);
        Map<String, String> handshake = server.handshakes().get(0);
        assertEquals("GET /with/headers HTTP/1.1", handshake.get(":request"));
        assertEquals("Bearer t0ken", handshake.get("authorization"));
        assertEquals("7", handshake.get("x-site"));
        assertTrue(!rig.pool.info(name).props().toString().contains("t0ken"), "the headers are masked");
        RecordingSourceContext source = source("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, name));
        Poll.until("data flows", () -> {
            server.broadcast("m");
            try {
                return "m".equals(source.next(Duration.ofMillis(100)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private RecordingSourceContext source(String rule, Map<String, Object> props) throws Exception {
        return rig.source(rule, "/feed", props, 0);
    }

    /** Both sources get a frame from the server, and the server gets a record from the sink. */
    private void awaitFlow(RecordingSourceContext first, RecordingSourceContext second, RecordingSinkContext sink,
            String marker) throws Exception {
        Poll.until("the sink's record reaches the server (" + marker + ")", () -> {
            try {
                sink.sink().send(List.of(Map.of("m", marker))).toCompletableFuture().get();
            } catch (Exception notYet) {
                return false;
            }
            return true;
        });
        Poll.until("the server has it", () -> server.received().stream().anyMatch(text -> text.contains(marker)),
                () -> server.received());
        List<String> firstSeen = new ArrayList<>();
        List<String> secondSeen = new ArrayList<>();
        server.broadcast(marker);
        Poll.until("both sources get the server's frame (" + marker + ")", () -> {
            firstSeen.addAll(first.drain());
            secondSeen.addAll(second.drain());
            return firstSeen.contains(marker) && secondSeen.contains(marker);
        }, () -> firstSeen + " / " + secondSeen);
    }
}
