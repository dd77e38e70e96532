package io.tether.websocket.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        RecordingSourceContext slow = rig.slowSource("rule1", "/feed", Map.of("addr", "127.0.0.1:" + server.port()));
        Poll.until("the client is connected", () -> server.clients() == 1);
        int messages = 20_000;
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < messages; n++) {
                server.broadcast(message(n));
            }
        });
        WebSocketRig.takeSlowly(slow, messages, ClientBackpressureTest::message);
        sending.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void whatTheServerSentBeforeClosingReachesTheRuleAfterTheClose() throws Exception {
        RecordingSourceContext slow = rig.slowSource("rule1", "/feed", Map.of("addr", "127.0.0.1:" + server.port()));
        Poll.until("the client is connected", () -> server.clients() == 1);
        int messages = 2_000;
        for (int n = 0; n < messages; n++) {
            server.broadcast(message(n));
        }
        server.closeClients(1000);
        WebSocketRig.takeSlowly(slow, messages, ClientBackpressureTest::message);
    }

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }
}
