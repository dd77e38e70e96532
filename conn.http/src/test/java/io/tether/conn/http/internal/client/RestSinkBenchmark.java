package io.tether.conn.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.tether.api.connection.Status;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.TestPool;

/**
 * Figures, no asserts: records/s a rest sink posts (one 200-byte JSON record per request, sendSingle, through the
 * pool and ConnectedSink, with up to 64 emissions handed to it at once as the rule layer does) against a bare
 * java.net.http client posting the same bodies one after the other to the same local server, in the same run: best
 * of three alternating rounds each, and their ratio. Then the same sink against a server that answers after
 * {@code bench.delayMillis} (default 5) with {@code concurrency} 1 and {@code bench.concurrency} (default 8), in
 * alternating rounds, and their ratio. Run: {@code mvn -o -pl conn.http exec:java} ({@code -Dbench.records=N}, default
 * 5000; the slow server gets a tenth of them).
 */
public final class RestSinkBenchmark {
    private static final int WINDOW = 64;

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 5000);
        String padding = "x".repeat(150);
        try (TestServer server = new TestServer(); TestPool pool = TestPool.builder().runtimeTimings().build()) {
            server.answer("/bench", TestServer.Answer.ok(""));
            pool.addType(HttpConnectorFactory.TYPE, new HttpConnectorFactory());
            RecordingSinkContext context = new RecordingSinkContext(pool, "bench", "sink_rest_0", true);
            context.open(new RestSinkProvider().create(Map.of("url", server.url() + "/bench", "method", "post")));
            Poll.until("connected", () -> context.states().contains(Status.CONNECTED));
            HttpClient bare = HttpClient.newHttpClient();
            URI uri = URI.create(server.url() + "/bench");

            double bestBare = 0;
            double bestSink = 0;
            bareRound(bare, uri, padding, records / 5);
            sinkRound(context, padding, records / 5);
            for (int round = 0; round < 3; round++) {
                server.all.clear();
                server.requests.clear();
                bestBare = Math.max(bestBare, bareRound(bare, uri, padding, records));
                server.all.clear();
                server.requests.clear();
                bestSink = Math.max(bestSink, sinkRound(context, padding, records));
            }
            System.out.printf(Locale.ROOT, "rest sink, %d records of 200 bytes, one request each (best of 3):%n", records);
            System.out.printf(Locale.ROOT, "  bare java.net.http client, sequential: %,10.0f requests/s%n", bestBare);
            System.out.printf(Locale.ROOT, "  rest sink (pool, ConnectedSink):        %,10.0f records/s%n", bestSink);
            System.out.printf(Locale.ROOT, "  ratio sink / bare: %.2f%n", bestSink / bestBare);
            context.close();
        }
        concurrency(records / 10, Integer.getInteger("bench.delayMillis", 5), Integer.getInteger("bench.concurrency", 8),
                padding);
    }

    private static void concurrency(int records, int delayMillis, int concurrency, String padding) throws Exception {
        try (TestServer server = new TestServer(); TestPool pool = TestPool.builder().runtimeTimings().build()) {
            server.answer("/bench", new TestServer.Answer(200, "", java.time.Duration.ofMillis(delayMillis)));
            pool.addType(HttpConnectorFactory.TYPE, new HttpConnectorFactory());
            RecordingSinkContext one = open(pool, server, "one", 1);
            RecordingSinkContext many = open(pool, server, "many", concurrency);
            double bestOne = 0;
            double bestMany = 0;
            for (int round = 0; round < 3; round++) {
                bestOne = Math.max(bestOne, sinkRound(one, padding, records));
                bestMany = Math.max(bestMany, sinkRound(many, padding, records));
                server.all.clear();
                server.requests.clear();
            }
            System.out.printf(Locale.ROOT, "rest sink, %d records, server answering after %d ms (best of 3):%n", records,
                    delayMillis);
            System.out.printf(Locale.ROOT, "  concurrency 1:  %,10.0f records/s%n", bestOne);
            System.out.printf(Locale.ROOT, "  concurrency %d: %,10.0f records/s%n", concurrency, bestMany);
            System.out.printf(Locale.ROOT, "  ratio %d / 1: %.2f%n", concurrency, bestMany / bestOne);
            one.close();
            many.close();
        }
    }

    private static RecordingSinkContext open(TestPool pool, TestServer server, String rule, int concurrency)
            throws Exception {
        RecordingSinkContext context = new RecordingSinkContext(pool, rule, "sink_rest_0", true);
        context.open(new RestSinkProvider().create(Map.of("url", server.url() + "/bench", "method", "post",
                "concurrency", concurrency)));
        Poll.until("connected", () -> context.states().contains(Status.CONNECTED));
        return context;
    }

    private static String body(String padding, int n) {
        return "{\"id\":" + n + ",\"temperature\":21.5,\"padding\":\"" + padding + "\"}";
    }

    private static double bareRound(HttpClient client, URI uri, String padding, int records) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(padding, i), UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("answered " + response.statusCode());
            }
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    private static double sinkRound(RecordingSinkContext context, String padding, int records) throws Exception {
        Deque<CompletableFuture<Void>> window = new ArrayDeque<>();
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            if (window.size() >= WINDOW) {
                window.removeFirst().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> record = Map.of("id", i, "temperature", 21.5, "padding", padding);
            window.addLast(context.sink().send(List.of(record)).toCompletableFuture());
        }
        while (!window.isEmpty()) {
            window.removeFirst().get(30, TimeUnit.SECONDS);
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }
}
