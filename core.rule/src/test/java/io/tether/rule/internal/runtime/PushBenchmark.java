package io.tether.rule.internal.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;
import io.tether.api.io.SourceProvider;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.testkit.ConnectorComponents;
import io.tether.testkit.TestDataServer;
import io.tether.testkit.TestPool;

/**
 * Push ingestion benchmark, not part of the build's tests:
 * {@code mvn -q -pl core.rule exec:java -Dexec.mainClass=io.tether.rule.internal.runtime.PushBenchmark
 * [-Dexec.args="seconds connections rounds"]}. Keep-alive clients post 200-byte JSON objects, as fast as answers
 * come, to an httppush endpoint feeding one rule ({@code SELECT * FROM s}) with a {@code nop} sink, and, in
 * alternating rounds of the same run, to a bare endpoint on the same data server that only reads the body: requests
 * per second and p99 latency of both, the best round of each side, and their ratio. The clients run in this process
 * (plain sockets, no HTTP library), so their CPU is shared with the server's. Prints figures; asserts nothing.
 */
public final class PushBenchmark {
    private static final byte[] BODY = body();

    public static void main(String[] args) throws Exception {
        int seconds = argument(args, 0, 10);
        int connections = argument(args, 1, 16);
        int rounds = argument(args, 2, 3);
        Path directory = Files.createTempDirectory("tether-push-bench");
        try (TestDataServer server = TestDataServer.start();
                ConnectorComponents http = ConnectorComponents.load("httppush").withService(DataServer.class, server);
                TestPool pool = TestPool.builder().runtimeTimings().dataDirectory(directory.resolve("pool")).build()) {
            http.installIn(pool);
            RuleEngine engine = new RuleEngine(pool, directory.resolve("rules"), directory, new PrometheusRegistry());
            engine.addSourceProvider(http.sourceProvider(), http.properties(SourceProvider.class));
            engine.activate();
            try (Registration bare = server.httpEndpoint("/bare", "POST", request -> EndpointResponse.text(200,
                    "ok"))) {
                engine.createStream("CREATE STREAM s () WITH (TYPE=\"httppush\", DATASOURCE=\"/push\", "
                        + "FORMAT=\"json\")");
                engine.createRule(new RuleDefinition("bench", "SELECT * FROM s", List.of(new Action("nop",
                        Map.of())), true));
                URI base = server.baseUri();
                System.out.printf("push benchmark: %d keep-alive connections, %d s a round, %d-byte JSON bodies%n",
                        connections, seconds, BODY.length);
                System.out.println("warm-up");
                load(base, "/bare", connections, 3);
                load(base, "/push", connections, 3);
                Result bestBare = null;
                Result bestPush = null;
                for (int round = 1; round <= rounds; round++) {
                    Result bareRound = load(base, "/bare", connections, seconds);
                    Result pushRound = load(base, "/push", connections, seconds);
                    System.out.printf("  round %d: bare %s; httppush rule %s%n", round, bareRound, pushRound);
                    bestBare = bestBare == null || bareRound.rate() > bestBare.rate() ? bareRound : bestBare;
                    bestPush = bestPush == null || pushRound.rate() > bestPush.rate() ? pushRound : bestPush;
                }
                System.out.printf("best of %d: bare endpoint %s; httppush to a rule with a nop sink %s; "
                        + "ratio %.2f%n", rounds, bestBare, bestPush, bestPush.rate() / bestBare.rate());
                Map<String, Object> status = engine.status("bench");
                System.out.printf("  rule: records in %s, out %s, exceptions %s%n",
                        status.get("source_s_0_records_in_total"), status.get("sink_nop_0_records_out_total"),
                        status.get("source_s_0_exceptions_total"));
            } finally {
                engine.deactivate();
            }
        }
        System.exit(0);
    }

    /** Requests answered per second, their p99 latency, and the answers other than 200. */
    record Result(double rate, double p99Millis, long failures) {
        @Override
        public String toString() {
            return String.format("%.0f req/s, p99 %.2f ms%s", rate, p99Millis,
                    failures == 0 ? "" : ", " + failures + " not 200");
        }
    }

    private static Result load(URI base, String path, int connections, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Client> clients = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Client client = new Client(base, path, end, done);
            clients.add(client);
            Thread thread = new Thread(client, "push-bench-client-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] latencies = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).sorted()
                .toArray();
        long failures = clients.stream().mapToLong(c -> c.failures).sum();
        for (Client client : clients) {
            if (client.error != null) {
                throw new IllegalStateException("a load client failed", client.error);
            }
        }
        double p99 = latencies.length == 0 ? 0 : latencies[(int) Math.min(latencies.length - 1,
                Math.ceil(latencies.length * 0.99) - 1)] / 1e6;
        return new Result(latencies.length / elapsed, p99, failures);
    }

    /** One keep-alive connection posting as fast as it is answered until the end of the round. */
    private static final class Client implements Runnable {
        private final URI base;
        private final String path;
        private final long end;
        private final CountDownLatch done;
        long[] latencies = new long[1 << 16];
        int count;
        long failures;
        Exception error;

        Client(URI base, String path, long end, CountDownLatch done) {
            this.base = base;
            this.path = path;
            this.end = end;
            this.done = done;
        }

        @Override
        public void run() {
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + BODY.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(BODY, 0, request, head.length, BODY.length);
            try (Socket socket = new Socket(InetAddress.getByName(base.getHost()), base.getPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    out.write(request);
                    out.flush();
                    int status = readResponse(in);
                    record(System.nanoTime() - sent);
                    if (status != 200) {
                        failures++;
                    }
                }
            } catch (IOException e) {
                error = e;
            } finally {
                done.countDown();
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        /** Reads one response (status line, headers, a Content-Length body); returns its status. */
        private static int readResponse(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            if (in.readNBytes(length).length != length) {
                throw new IOException("the connection closed within a response");
            }
            return status;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed within a response");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    /** A JSON object of exactly 200 bytes, as a device's reading. */
    private static byte[] body() {
        String start = "{\"device\":\"sensor-0042\",\"temperature\":21.5,\"humidity\":48,\"ts\":1732924800000,"
                + "\"site\":\"plant-7\",\"pad\":\"";
        String end = "\"}";
        return (start + "x".repeat(200 - start.length() - end.length()) + end).getBytes(StandardCharsets.UTF_8);
    }

    private static int argument(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
