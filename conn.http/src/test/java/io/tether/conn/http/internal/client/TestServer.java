package io.tether.conn.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server for the tests, on a free loopback port: it records every request and answers each path as the
 * test scripted it (status, body, delay), 200 with an empty body by default.
 */
final class TestServer implements AutoCloseable {

    /** A request as the server received it; header names in lower case. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What the server answers. */
    record Answer(int status, String body, Duration delay) {
        static Answer ok(String body) {
            return new Answer(200, body, Duration.ZERO);
        }
    }

    /** Answers computed per request (an OAuth endpoint, a protected resource). */
    interface Handler {
        Answer answer(Request request);
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-http-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final List<Request> all = new CopyOnWriteArrayList<>();

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    TestServer answer(String path, Answer answer) {
        handlers.put(path, request -> answer);
        return this;
    }

    TestServer answer(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    /** The next request to a path other than the probes' (HEAD and the root), within a few seconds, or fails. */
    Request next() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Request request = requests.poll(100, TimeUnit.MILLISECONDS);
            if (request != null && !request.method().equals("HEAD")) {
                return request;
            }
        }
        throw new AssertionError("no request within 10 s; seen " + all);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), UTF_8);
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body);
            all.add(request);
            requests.add(request);
            Handler handler = handlers.getOrDefault(request.path(), any -> Answer.ok(""));
            Answer answer = handler.answer(request);
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = answer.body().getBytes(UTF_8);
            if (request.method().equals("HEAD") || bytes.length == 0) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
