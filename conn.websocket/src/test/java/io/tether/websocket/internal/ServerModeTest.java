package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestDataServer;
import io.tether.testkit.TestPool;

/** Server mode: endpoints on the data server, reached by real WebSocket clients (the JDK's). */
class ServerModeTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private TestDataServer dataServer;
    private WebSocketRig rig;

    @BeforeEach
    void start() throws Exception {
        dataServer = TestDataServer.start();
        rig = new WebSocketRig(TestPool.create());
        rig.runtime.bindDataServer(dataServer);
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
        dataServer.close();
    }

    @Test
    void twoClientsBothGetEverySinkRecord() throws Exception {
        RecordingSinkContext sink = rig.sink("rule1", Map.of("path", "/out"));
        awaitServed("/out");
        Client first = client("/out");
        Client second = client("/out");
        Poll.until("both are connected", () -> sendAccepted(sink, Map.of("n", 0)) && first.texts.size() > 0
                && second.texts.size() > 0);
        for (int n = 1; n <= 3; n++) {
            sink.sink().send(List.of(Map.of("n", n))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        for (Client client : List.of(first, second)) {
            List<String> received = new ArrayList<>();
            Poll.until("the client gets the three records", () -> {
                client.texts.drainTo(received);
                received.removeIf("{\"n\":0}"::equals);
                return received.size() >= 3;
            }, () -> received);
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), received);
        }
    }

    @Test
    void aClientsFrameReachesTwoRules() throws Exception {
        RecordingSourceContext first = source("rule1", Map.of());
        RecordingSourceContext second = source("rule2", Map.of());
        awaitServed("/in");
        assertEquals(1, rig.pool.list(true).size(), "both rules share the endpoint's connection");
        Client client = client("/in");
        client.socket.sendText("{\"t\":21.5}", true).get(5, TimeUnit.SECONDS);
        assertEquals("{\"t\":21.5}", first.next(Poll.PATIENCE));
        assertEquals("{\"t\":21.5}", second.next(Poll.PATIENCE));
    }

    @Test
    void aClientFasterThanASlowRuleHasEveryFrameDeliveredInOrder() throws Exception {
        RecordingSourceContext slow = rig.slowSource("rule1", "/in", Map.of());
        awaitServed("/in");
        Client client = client("/in");
        int frames = 20_000;
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < frames; n++) {
                client.socket.sendText(frame(n), true).join();
            }
        });
        WebSocketRig.takeSlowly(slow, frames, ServerModeTest::frame);
        sending.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void whatAClientSentBeforeClosingReachesTheRuleAfterTheClose() throws Exception {
        RecordingSourceContext slow = rig.slowSource("rule1", "/in", Map.of());
        awaitServed("/in");
        Client client = client("/in");
        int frames = 2_000;
        for (int n = 0; n < frames; n++) {
            client.socket.sendText(frame(n), true).get(5, TimeUnit.SECONDS);
        }
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        WebSocketRig.takeSlowly(slow, frames, ServerModeTest::frame);
    }

    @Test
    void closingTheLastReferenceUnregistersTheEndpointAndClosesItsClientsNormally() throws Exception {
        RecordingSourceContext first = source("rule1", Map.of());
        RecordingSourceContext second = source("rule2", Map.of());
        awaitServed("/in");
        Client client = client("/in");
        first.close();
        client.socket.sendText("still served", true).get(5, TimeUnit.SECONDS);
        assertEquals("still served", second.next(Poll.PATIENCE), "served for the other rule");
        second.close();
        assertEquals(1000, client.closed.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), rig.pool.list(true));
        assertFalse(served("/in"), "the endpoint is gone");
    }

    @Test
    void aNamedEndpointWaitsForTheDataServerAndIsServedWhenItComes() throws Exception {
        rig.runtime.unbindDataServer(dataServer);
        rig.pool.create("feed", WebSocketConnectorFactory.TYPE, Map.of("path", "/named"));
        rig.pool.awaitStatus("feed", Status.DISCONNECTED, "the data server is not available");
        RecordingSourceContext source = source("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "feed"));
        rig.runtime.bindDataServer(dataServer);
        rig.pool.awaitStatus("feed", Status.CONNECTED);
        client("/named").socket.sendText("x", true).get(5, TimeUnit.SECONDS);
        assertEquals("x", source.next(Poll.PATIENCE));

        rig.runtime.unbindDataServer(dataServer);
        rig.pool.awaitStatus("feed", Status.DISCONNECTED);
        rig.runtime.bindDataServer(dataServer);
        rig.pool.awaitStatus("feed", Status.CONNECTED);
        client("/named").socket.sendText("y", true).get(5, TimeUnit.SECONDS);
        assertEquals("y", source.next(Poll.PATIENCE));
    }

    @Test
    void aPathTakenByAnotherEndpointIsAPermanentFailureThatSaysSo() throws Exception {
        dataServer.webSocketEndpoint("/taken", new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketPeer peer) {
            }

            @Override
            public CompletionStage<?> onText(WebSocketPeer peer, String text) {
                return null;
            }

            @Override
            public void onClose(WebSocketPeer peer, int code, String reason) {
            }
        });
        rig.pool.create("taken", WebSocketConnectorFactory.TYPE, Map.of("path", "/taken"));
        String err = rig.pool.awaitStatus("taken", Status.DISCONNECTED).status().err();
        assertTrue(err.startsWith("cannot serve websocket endpoint /taken: "), err);
    }

    @Test
    void aNamedEndpointIsServedWithoutSourcesAndItsReferencesGoBackToZero() throws Exception {
        rig.pool.create("feed", WebSocketConnectorFactory.TYPE, Map.of("path", "/named"));
        rig.pool.awaitStatus("feed", Status.CONNECTED);
        awaitServed("/named");
        RecordingSourceContext first = source("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "feed"));
        RecordingSourceContext second = source("rule2", Map.of(ConnectionPool.CONNECTION_SELECTOR, "feed"));
        assertEquals(2, rig.pool.info("feed").status().refCount());
        client("/named").socket.sendText("both", true).get(5, TimeUnit.SECONDS);
        assertEquals("both", first.next(Poll.PATIENCE));
        assertEquals("both", second.next(Poll.PATIENCE));
        first.close();
        second.close();
        assertEquals(0, rig.pool.info("feed").status().refCount());
        assertTrue(served("/named"), "served while the connection exists");
        rig.pool.delete("feed");
        Poll.until("the endpoint goes with the connection", () -> !served("/named"));
    }

    @Test
    void aRemovedTypeTakesItsEndpointsAwayAndItsReturnBringsThemBackWithTheirSources() throws Exception {
        RecordingSourceContext source = source("rule1", Map.of());
        awaitServed("/in");
        Client client = client("/in");
        rig.pool.removeType(WebSocketConnectorFactory.TYPE);
        String notInstalled = "connector type 'websocket' is not installed";
        Poll.until("the source is told", () -> source.statuses.stream().anyMatch(s -> notInstalled.equals(s.err())),
                () -> source.statuses);
        assertEquals(1000, client.closed.get(5, TimeUnit.SECONDS), "its clients are closed normally");
        Poll.until("the endpoint is gone", () -> !served("/in"));
        rig.pool.addType(WebSocketConnectorFactory.TYPE, new WebSocketConnectorFactory(rig.runtime),
                getClass().getResource("/" + WebSocketConnectorFactory.SCHEMA));
        awaitServed("/in");
        client("/in").socket.sendText("back", true).get(5, TimeUnit.SECONDS);
        assertEquals("back", source.next(Poll.PATIENCE));
    }

    @Test
    void aClientRefusedByTheServerWithA4xxStopsRetryingAndSaysWhy() throws Exception {
        RecordingSourceContext served = source("rule1", Map.of());
        awaitServed("/in");
        String addr = dataServer.baseUri().getAuthority();
        rig.pool.create("lost", WebSocketConnectorFactory.TYPE, Map.of("addr", addr, "path", "/nowhere"));
        String err = rig.pool.awaitStatus("lost", Status.DISCONNECTED).status().err();
        assertEquals("websocket connection lost to ws://" + addr + "/nowhere: the server refused the websocket "
                + "handshake with status 404", err);
        served.close();
    }

    private void awaitServed(String path) {
        Poll.until(path + " is served", () -> served(path));
    }

    private boolean served(String path) {
        try {
            http.newWebSocketBuilder().buildAsync(dataServer.webSocketUri(path), new Client()).get(5, TimeUnit.SECONDS)
                    .abort();
            return true;
        } catch (Exception refused) {
            return false;
        }
    }

    /** Frame {@code n}, of about 100 bytes. */
    private static String frame(int n) {
        return "{\"n\":" + n + ",\"pad\":\"" + "x".repeat(80) + "\"}";
    }

    private boolean sendAccepted(RecordingSinkContext sink, Map<String, Object> record) {
        try {
            sink.sink().send(List.of(record)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    private RecordingSourceContext source(String rule, Map<String, Object> props) throws Exception {
        return rig.source(rule, "/in", props, 0);
    }

    private Client client(String path) throws Exception {
        Client client = new Client();
        client.socket = http.newWebSocketBuilder().buildAsync(dataServer.webSocketUri(path), client)
                .get(5, TimeUnit.SECONDS);
        rig.closeLater(() -> client.socket.abort());
        return client;
    }

    /** A JDK WebSocket client that records what it receives. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
