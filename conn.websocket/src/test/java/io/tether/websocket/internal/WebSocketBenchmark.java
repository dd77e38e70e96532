package io.tether.websocket.internal;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestDataServer;
import io.tether.testkit.TestPool;

/**
 * The WebSocket benchmark of issue 10, not part of the build's tests: {@code mvn -pl conn.websocket exec:java}
 * (optional arguments: messages per run, default 100000; the sender's window, default 1000, 0 for none).
 * <ul>
 * <li>relay: a JDK WebSocket client sends N 100-byte JSON messages to endpoint {@code /in} (server mode); Tether's
 * source hands each to a JSON decode + encode step (the rule layer's part, played here) and to its sink on endpoint
 * {@code /out}, where a second JDK client counts them.</li>
 * <li>baseline, in the same run: the same client sends the N messages to an echo endpoint of the same data server
 * (core.dataserver's Jetty) and counts the echoes.</li>
 * </ul>
 * The sender keeps at most its window of messages under way in both, as an application protocol would; without one,
 * the data server's TCP window holds it back.
 * So the ratio is what the connector, its hand-off and the second client cost. Prints figures; asserts nothing about
 * time.
 */
public final class WebSocketBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };
    private static final Duration STALL = Duration.ofSeconds(10);
    private static final int DEFAULT_WINDOW = 1000;
    private static final String PAYLOAD = "{\"device\":\"sensor-0042\",\"temperature\":21.5,\"humidity\":48,"
            + "\"status\":\"ok\",\"seq\":\"%08d\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    /** The most messages under way, 0: no limit. */
    private final int window;

    private WebSocketBenchmark(int window) {
        this.window = window;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        WebSocketBenchmark bench = new WebSocketBenchmark(args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_WINDOW);
        System.out.println("window " + (bench.window == 0 ? "none" : bench.window));
        System.out.println("warm-up");
        bench.relay(20_000);
        bench.echo(20_000);
        for (int run = 1; run <= 3; run++) {
            Result relay = bench.relay(n);
            Result echo = bench.echo(n);
            System.out.printf("run %d N=%d: tether relay %.0f msgs/s (lost %d), echo server %.0f msgs/s (lost %d),"
                    + " ratio %.2f%n", run, n, relay.rate(), relay.lost(), echo.rate(), echo.lost(),
                    relay.rate() / echo.rate());
        }
        System.exit(0);
    }

    record Result(int sent, long received, long nanos) {
        double rate() {
            return received * 1e9 / nanos;
        }

        long lost() {
            return sent - received;
        }
    }

    private Result relay(int n) throws Exception {
        WebSocketRuntime runtime = new WebSocketRuntime();
        try (TestDataServer dataServer = TestDataServer.start(); TestPool pool = TestPool.create()) {
            runtime.bindDataServer(dataServer);
            pool.addType(WebSocketConnectorFactory.TYPE, new WebSocketConnectorFactory(runtime));
            RecordingSinkContext sinkNode = new RecordingSinkContext(pool, "bench", "sink_websocket_0", true);
            sinkNode.open(new WebSocketSinkProvider().create(Map.of("path", "/out")));
            Sink sink = sinkNode.sink();
            AtomicLong failures = new AtomicLong();
            RecordingSourceContext sourceNode = new RecordingSourceContext(pool, "bench", "source_in") {
                @Override
                public void emit(RawMessage message) {
                    try {
                        sink.collect(List.of(JSON.readValue(message.payload(), RECORD)));
                    } catch (Exception e) {
                        if (failures.incrementAndGet() == 1) {
                            System.out.println("  relay: " + e);
                        }
                    }
                }
            };
            Source source = new WebSocketSourceProvider(runtime).create("/in", Map.of());
            source.open(sourceNode);
            Counter counter = new Counter();
            WebSocket out = open(dataServer, "/out", counter);
            WebSocket in = open(dataServer, "/in", new Counter());
            Result result = measure(n, in, counter);
            in.abort();
            out.abort();
            source.close();
            sinkNode.close();
            if (failures.get() > 0) {
                System.out.println("  relay: " + failures.get() + " emissions failed");
            }
            return result;
        } finally {
            runtime.stop();
        }
    }

    /** An endpoint of the same data server that sends every message back to its sender. */
    private Result echo(int n) throws Exception {
        try (TestDataServer dataServer = TestDataServer.start();
                Registration echo = dataServer.webSocketEndpoint("/echo", new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocketPeer peer) {
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocketPeer peer, String text) {
                        return peer.sendText(text);
                    }

                    @Override
                    public void onClose(WebSocketPeer peer, int code, String reason) {
                    }
                })) {
            Counter counter = new Counter();
            WebSocket socket = open(dataServer, "/echo", counter);
            Result result = measure(n, socket, counter);
            socket.abort();
            return result;
        }
    }

    /**
     * A client of the endpoint, once it is served: a source or sink registers it on the pool's thread, and the
     * listener (its port) starts with the first registration.
     */
    private WebSocket open(TestDataServer dataServer, String path, Counter counter) throws Exception {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (true) {
            try {
                return http.newWebSocketBuilder().buildAsync(dataServer.webSocketUri(path), counter)
                        .get(5, TimeUnit.SECONDS);
            } catch (ExecutionException notYetServed) {
                if (System.nanoTime() > deadline) {
                    throw notYetServed;
                }
                Thread.sleep(10);
            }
        }
    }

    /** Sends n messages one after the other, and waits until they all came back or nothing came for a while. */
    private Result measure(int n, WebSocket sender, Counter counter) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(sender);
        for (int i = 0; i < n; i++) {
            String text = String.format(PAYLOAD, i);
            sent = sent.thenCompose(socket -> socket.sendText(text, true));
            if (i % 100 == 99) {
                // bounds the chain of pending sends, and the messages under way
                sent.get(STALL.toMillis(), TimeUnit.MILLISECONDS);
                long waitingSince = System.nanoTime();
                while (window > 0 && i + 1 - counter.count.get() > window
                        && System.nanoTime() - waitingSince < STALL.toNanos()) {
                    LockSupport.parkNanos(10_000);
                }
            }
        }
        sent.get(STALL.toMillis(), TimeUnit.MILLISECONDS);
        long last = counter.count.get();
        long lastChange = System.nanoTime();
        while (counter.count.get() < n && System.nanoTime() - lastChange < STALL.toNanos()) {
            Thread.sleep(1);
            if (counter.count.get() != last) {
                last = counter.count.get();
                lastChange = System.nanoTime();
            }
        }
        return new Result(n, counter.count.get(), counter.lastAt - start);
    }

    /** Counts the whole text messages it receives, and when the last one came. */
    private static final class Counter implements WebSocket.Listener {
        final AtomicLong count = new AtomicLong();
        volatile long lastAt;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                count.incrementAndGet();
                lastAt = System.nanoTime();
            }
            webSocket.request(1);
            return null;
        }
    }
}
