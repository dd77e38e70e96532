package io.tether.dataserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;

class JettyDataServerTest {
    private static final long MAX_BODY = 1000;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JettyDataServer server = new JettyDataServer(loopback(0));

    static Settings loopback(int port) {
        return loopback(port, 30000);
    }

    static Settings loopback(int port, long idleTimeoutMillis) {
        return new Settings("127.0.0.1", port, "", "", "", "", MAX_BODY, true, 8, idleTimeoutMillis);
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    @Test
    void anEndpointAnswersItsRequestsWithWhatItsHandlerSays() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Registration ignored = server.httpEndpoint("/devices/in", "post", request -> {
            seen.add(request.method() + " " + request.path() + "?" + request.query() + " "
                    + request.header("X-Device") + " " + new String(request.body(), StandardCharsets.UTF_8));
            return EndpointResponse.text(200, "ok", Map.of("X-Seen", "1"));
        })) {
            HttpResponse<String> response = send("POST", "/devices/in?a=1", "{\"t\":1}", "X-Device", "d7");
            assertEquals(200, response.statusCode());
            assertEquals("ok", response.body());
            assertEquals("1", response.headers().firstValue("X-Seen").orElse(null));
            assertEquals(List.of("POST /devices/in?a=1 d7 {\"t\":1}"), seen);
        }
    }

    @Test
    void theServerAnswersUnknownPathsWrongMethodsAndLargeBodiesItself() throws Exception {
        try (Registration ignored = server.httpEndpoint("/in", "POST", request -> EndpointResponse.text(200, "ok"))) {
            assertEquals(404, send("POST", "/other", "{}").statusCode());
            HttpResponse<String> wrongMethod = send("PUT", "/in", "{}");
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("POST, OPTIONS", wrongMethod.headers().firstValue("Allow").orElse(null));
            assertEquals(413, send("POST", "/in", "x".repeat((int) MAX_BODY + 1)).statusCode());
            HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(uri("/in"))
                    .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            new byte[(int) MAX_BODY * 3]))).build(), BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), "a chunked body over the limit");
            assertEquals(200, send("POST", "/in", "x".repeat((int) MAX_BODY)).statusCode());
        }
    }

    @Test
    void aPathCarriesSeveralMethodsEachRegisteredOnce() throws Exception {
        try (Registration post = server.httpEndpoint("/in", "POST", request -> EndpointResponse.text(200, "post"));
                Registration put = server.httpEndpoint("/in", "PUT", request -> EndpointResponse.text(200, "put"))) {
            assertEquals("post", send("POST", "/in", "").body());
            assertEquals("put", send("PUT", "/in", "").body());
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> server.httpEndpoint("/in", "POST", request -> EndpointResponse.text(200, "again")));
            assertEquals("endpoint POST /in is registered already", taken.getMessage());
            assertThrows(IllegalArgumentException.class, () -> server.webSocketEndpoint("/in", new Recorder()));
            put.close();
            put.close();
            assertEquals(405, send("PUT", "/in", "").statusCode());
            assertEquals("post", send("POST", "/in", "").body(), "the other method stays");
        }
    }

    @Test
    void invalidPathsAndMethodsAreRefusedWithTheirReason() {
        assertEquals("endpoint path must start with /: in", assertThrows(IllegalArgumentException.class,
                () -> server.httpEndpoint("in", "POST", request -> null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.httpEndpoint("/a b", "POST", request -> null));
        assertThrows(IllegalArgumentException.class, () -> server.httpEndpoint("/a/../b", "POST", request -> null));
        assertThrows(IllegalArgumentException.class, () -> server.httpEndpoint("/a", "PO ST", request -> null));
        assertThrows(IllegalArgumentException.class, () -> server.httpEndpoint("/a", "OPTIONS", request -> null));
        assertFalse(server.isRunning(), "nothing was started for a refused registration");
    }

    @Test
    void theListenerStartsWithTheFirstRegistrationAndStopsWithTheLast() throws Exception {
        assertFalse(server.isRunning());
        Registration first = server.httpEndpoint("/a", "POST", request -> EndpointResponse.text(200, "a"));
        Registration second = server.webSocketEndpoint("/b", new Recorder());
        URI base = server.baseUri();
        assertTrue(base.getPort() > 0, base.toString());
        first.close();
        assertEquals(404, send("POST", "/a", "").statusCode());
        second.close();
        assertFalse(server.isRunning());
        assertThrows(ConnectException.class, () -> client.send(HttpRequest.newBuilder(base.resolve("/a"))
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString()));
        assertListenerThreadsGone();
    }

    @Test
    void aTakenPortIsAnIoErrorAndRegistersNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JettyDataServer blocked = new JettyDataServer(loopback(taken.getLocalPort()));
            IOException refused = assertThrows(IOException.class,
                    () -> blocked.httpEndpoint("/a", "POST", request -> EndpointResponse.text(200, "a")));
            assertTrue(refused.getMessage().startsWith("data server cannot listen on http://127.0.0.1:"
                    + taken.getLocalPort()), refused.getMessage());
            assertFalse(blocked.isRunning());
            taken.close();
            try (Registration now = blocked.httpEndpoint("/a", "POST", request -> EndpointResponse.text(200, "a"))) {
                assertTrue(blocked.isRunning(), "the same path registers once the port is free");
            } finally {
                blocked.shutdown();
            }
        }
    }

    @Test
    void corsPreflightIsAnsweredForRegisteredPaths() throws Exception {
        try (Registration ignored = server.httpEndpoint("/in", "PUT", request -> EndpointResponse.text(200, "ok"))) {
            HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(uri("/in"))
                    .method("OPTIONS", BodyPublishers.noBody()).header("Origin", "http://app.example")
                    .header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "content-type").build(), BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("PUT, OPTIONS", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
            assertEquals("content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
            assertEquals("*", send("PUT", "/in", "").headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
    }

    @Test
    void webSocketClientsTalkToTheirEndpointAndAreClosedNormallyWithIt() throws Exception {
        Recorder recorder = new Recorder();
        Registration registration = server.webSocketEndpoint("/ws", recorder);
        ClientListener listener = new ClientListener();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(webSocketUri("/ws"), listener)
                .get(5, TimeUnit.SECONDS);
        WebSocketPeer peer = recorder.opened.poll(5, TimeUnit.SECONDS);
        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertEquals("hello", recorder.texts.poll(5, TimeUnit.SECONDS));
        peer.sendText("back").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("back", listener.texts.poll(5, TimeUnit.SECONDS));
        assertEquals(400, send("GET", "/ws", "").statusCode(), "a plain request on a WebSocket endpoint");

        registration.close();
        assertEquals(Integer.valueOf(1000), listener.closes.poll(5, TimeUnit.SECONDS));
        until("the handler told of the close", () -> !recorder.closes.isEmpty());
        assertFalse(peer.isOpen());
        until("the listener stopped once the close handshake ended", () -> !server.isRunning());
        assertListenerThreadsGone();
    }

    @Test
    void theLastEndpointsUnregistrationDoesNotWaitForItsClientsCloseHandshakes() throws Exception {
        Recorder recorder = new Recorder();
        Registration registration = server.webSocketEndpoint("/ws", recorder);
        CompletableFuture<Void> answerClose = new CompletableFuture<>();
        ClientListener listener = new ClientListener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                super.onClose(webSocket, statusCode, reason);
                return answerClose;
            }
        };
        client.newWebSocketBuilder().buildAsync(webSocketUri("/ws"), listener).get(5, TimeUnit.SECONDS);
        recorder.opened.poll(5, TimeUnit.SECONDS);

        long start = System.nanoTime();
        registration.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 500, "close() waited " + tookMillis + " ms for the client's close handshake");
        assertEquals(Integer.valueOf(1000), listener.closes.poll(5, TimeUnit.SECONDS));
        assertTrue(server.isStopPending(), "the stop waits for the handshake");
        assertTrue(server.isRunning());

        try (Registration arriving = server.httpEndpoint("/a", "POST", request -> EndpointResponse.text(200, "a"))) {
            answerClose.complete(null);
            until("the handshake ended", () -> !recorder.closes.isEmpty());
            until("the delayed stop ran", () -> !server.isStopPending());
            assertTrue(server.isRunning(), "the listener of an endpoint registered meanwhile was stopped");
            assertEquals("a", send("POST", "/a", "").body());
        }
        assertFalse(server.isRunning(), "the listener stops with the last endpoint");
        assertListenerThreadsGone();
    }

    @Test
    void aShutdownLetsTheCloseHandshakesOfAnEndpointUnregisteredJustBeforeEnd() throws Exception {
        Recorder recorder = new Recorder();
        Registration registration = server.webSocketEndpoint("/ws", recorder);
        CompletableFuture<Void> answerClose = new CompletableFuture<>();
        ClientListener listener = new ClientListener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                super.onClose(webSocket, statusCode, reason);
                return answerClose;
            }
        };
        client.newWebSocketBuilder().buildAsync(webSocketUri("/ws"), listener).get(5, TimeUnit.SECONDS);
        recorder.opened.poll(5, TimeUnit.SECONDS);

        registration.close();
        server.shutdown();
        assertEquals(Integer.valueOf(1000), listener.closes.poll(5, TimeUnit.SECONDS));
        assertTrue(server.isRunning(), "stopped before the close handshake ended");
        assertThrows(IllegalStateException.class, () -> server.webSocketEndpoint("/other", new Recorder()));
        answerClose.complete(null);
        until("the handshake ended", () -> !recorder.closes.isEmpty());
        until("the listener stopped", () -> !server.isRunning());
        assertListenerThreadsGone();
    }

    @Test
    void aClientHeldBackByASlowHandlerLongerThanTheIdleTimeoutStaysOpen() throws Exception {
        JettyDataServer shortIdle = new JettyDataServer(loopback(0, 500));
        Recorder recorder = new Recorder() {
            @Override
            public CompletionStage<?> onText(WebSocketPeer peer, String text) {
                super.onText(peer, text);
                return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
            }
        };
        try (Registration ignored = shortIdle.webSocketEndpoint("/ws", recorder)) {
            ClientListener listener = new ClientListener();
            WebSocket socket = client.newWebSocketBuilder().buildAsync(webSocketUri(shortIdle, "/ws"), listener)
                    .get(5, TimeUnit.SECONDS);
            for (String text : List.of("one", "two", "three")) {
                socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            }
            for (String text : List.of("one", "two", "three")) {
                assertEquals(text, recorder.texts.poll(5, TimeUnit.SECONDS));
            }
            assertTrue(listener.closes.isEmpty(), "closed while held back: " + listener.closes);
            until("the last stage completed and the client, idle now, is closed", () -> !listener.closes.isEmpty());
        } finally {
            shortIdle.shutdown();
        }
    }

    @Test
    void anIdleClientIsClosedAfterTheIdleTimeout() throws Exception {
        JettyDataServer shortIdle = new JettyDataServer(loopback(0, 500));
        try (Registration ignored = shortIdle.webSocketEndpoint("/ws", new Recorder())) {
            ClientListener listener = new ClientListener();
            long start = System.nanoTime();
            client.newWebSocketBuilder().buildAsync(webSocketUri(shortIdle, "/ws"), listener).get(5, TimeUnit.SECONDS);
            assertEquals(Integer.valueOf(1001), listener.closes.poll(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "closed before its timeout");
        } finally {
            shortIdle.shutdown();
        }
    }

    @Test
    void aPeersNextMessageIsReadOnlyOnceTheHandlerTookTheLastOne() throws Exception {
        CompletableFuture<Void> firstTaken = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            public CompletionStage<?> onText(WebSocketPeer peer, String text) {
                super.onText(peer, text);
                return "first".equals(text) ? firstTaken : null;
            }
        };
        try (Registration ignored = server.webSocketEndpoint("/ws", recorder)) {
            WebSocket socket = client.newWebSocketBuilder().buildAsync(webSocketUri("/ws"), new ClientListener())
                    .get(5, TimeUnit.SECONDS);
            socket.sendText("first", true).get(5, TimeUnit.SECONDS);
            socket.sendText("second", true).get(5, TimeUnit.SECONDS);
            assertEquals("first", recorder.texts.poll(5, TimeUnit.SECONDS));
            assertNull(recorder.texts.poll(300, TimeUnit.MILLISECONDS), "read before the first was taken");
            firstTaken.complete(null);
            assertEquals("second", recorder.texts.poll(5, TimeUnit.SECONDS));
            socket.abort();
        }
    }

    private void assertListenerThreadsGone() {
        until("the data server's threads ended", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("tether-dataserver")),
                () -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(name -> name.startsWith("tether-dataserver")).toList());
    }

    /** core.testkit's Poll is not at hand here: the testkit depends on this module. */
    private static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    private static void until(String what, BooleanSupplier condition,
            Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; last seen: " + lastSeen.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    private URI webSocketUri(String path) {
        return webSocketUri(server, path);
    }

    private static URI webSocketUri(JettyDataServer on, String path) {
        return URI.create(on.baseUri().toString().replaceFirst("^http", "ws") + path);
    }

    static class Recorder implements WebSocketHandler {
        final BlockingQueue<WebSocketPeer> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocketPeer peer) {
            opened.add(peer);
        }

        @Override
        public CompletionStage<?> onText(WebSocketPeer peer, String text) {
            texts.add(text);
            return null;
        }

        @Override
        public void onClose(WebSocketPeer peer, int code, String reason) {
            closes.add(code);
        }
    }

    static class ClientListener implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closes.add(statusCode);
            return null;
        }
    }

}
