package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;
import io.tether.testkit.WebSocketTestServer;

/** Client mode against a server that sends faster than the rule takes. */
class ClientBackpressureTest {
    private static final int SLOW_RULE_CAPACITY = 64;
    private static final long SLOW_RULE_NANOS_PER_MESSAGE = TimeUnit.MICROSECONDS.toNanos(50);

    private WebSocketTestServer server;
    private WebSocketRig rig;

    @BeforeEach
    void start() throws Exception {
        server = WebSocketTestServer.start(Peers.freePort());
        rig = new WebSocketRig(TestPool.create());
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
        server.close();
    }

    @Test
    void aServerFasterThanASlowRuleHasEveryMessageDeliveredInOrder() throws Exception {
        RecordingSourceContext slow = rig.source("rule1", "/feed", Map.of("addr", "127.0.0.1:" + server.port()),
                SLOW_RULE_CAPACITY);
        Poll.until("the client is connected", () -> server.clients() == 1);
        int messages = 20_000;
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < messages; n++) {
                server.broadcast(message(n));
            }
        });
        for (int n = 0; n < messages; n++) {
            assertEquals(message(n), slow.next(Poll.PATIENCE), "message " + n);
            LockSupport.parkNanos(SLOW_RULE_NANOS_PER_MESSAGE);
        }
        sending.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(), slow.errors);
        assertEquals(List.of(), slow.drain(), "nothing more than was sent");
    }

    @Test
    void whatTheServerSentBeforeClosingReachesTheRuleAfterTheClose() throws Exception {
        RecordingSourceContext slow = rig.source("rule1", "/feed", Map.of("addr", "127.0.0.1:" + server.port()),
                SLOW_RULE_CAPACITY);
        Poll.until("the client is connected", () -> server.clients() == 1);
        int messages = 2_000;
        for (int n = 0; n < messages; n++) {
            server.broadcast(message(n));
        }
        server.closeClients(1000);
        for (int n = 0; n < messages; n++) {
            assertEquals(message(n), slow.next(Poll.PATIENCE), "message " + n);
            LockSupport.parkNanos(SLOW_RULE_NANOS_PER_MESSAGE);
        }
        assertEquals(List.of(), slow.drain(), "nothing more than was sent");
    }

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }
}
