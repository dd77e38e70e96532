package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.testkit.ImmediateReservation;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.TestPool;

/**
 * Issue 11's Neuron benchmark, not part of the build's tests: {@code mvn -q -pl conn.neuron exec:java} after
 * {@code mvn install -DskipTests} (it starts the exported runtime, {@code distribution/target/tether}, as users do).
 * Neuron is played by a Java pair0 listener on {@link SpPipe} ({@link PairListener}) that sends 200-byte tag
 * messages as fast as TCP lets it.
 * <ul>
 * <li>baseline: the raw socket read rate in this JVM: a plain {@code SocketChannel} after the SP handshake, reading
 * into a 64 KiB buffer and counting frames; cross-checked once by NNG's own reader, {@code nngcat --dial --count N}
 * (its wall time includes its start, a few ms);</li>
 * <li>connector: the same through this module's connection and source in this JVM (the real pool), to a context
 * that only counts the records offered: what the connector costs without the rule layer;</li>
 * <li>rule: the runtime dials the listener (a named nng connection), a neuron stream and rule {@code SELECT * FROM
 * tags} with a {@code nop} sink: messages/s from the first send until the sink counted them all;</li>
 * <li>latency: a second rule {@code SELECT values FROM tags} with a neuron sink that writes each record back over
 * the same pipe (pair0 has one), sent at a steady rate: p50/p99 from send to the write's arrival, the rule and both
 * directions of the pipe included (the nop sink's own arrival time is not observable from outside).</li>
 * </ul>
 * Three alternating rounds of baseline and rule, the best of each compared. Prints figures; asserts nothing.
 */
public final class NeuronBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 3;
    private static final int MESSAGE_SIZE = 200;

    private final Path directory;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int httpPort = Peers.freePort();
    private Process runtime;
    private int round;

    private NeuronBenchmark(Path directory) {
        this.directory = directory;
    }

    /** Arguments, all optional: N per round, the latency run's rate (msgs/s) and seconds. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        NeuronBenchmark bench = new NeuronBenchmark(Files.createTempDirectory("tether-neuron-bench"));
        try {
            bench.startRuntime();
            System.out.println("warm-up");
            bench.rawRead(n / 4);
            bench.ruleRate(n / 4);
            bench.sourceRate(n / 4);
            double raw = 0;
            double source = 0;
            double rule = 0;
            for (int i = 0; i < ROUNDS; i++) {
                double rawRound = bench.rawRead(n);
                double sourceRound = bench.sourceRate(n);
                double ruleRound = bench.ruleRate(n);
                System.out.printf("  round %d N=%d: raw socket read %.0f msgs/s, connector and source alone %.0f msgs/s,"
                        + " through the rule to nop %.0f msgs/s%n", i + 1, n, rawRound, sourceRound, ruleRound);
                raw = Math.max(raw, rawRound);
                source = Math.max(source, sourceRound);
                rule = Math.max(rule, ruleRound);
            }
            System.out.printf("pair0 over TCP, %d-byte tag messages, N=%d, best of %d: rule to nop %.0f msgs/s,"
                    + " raw socket read %.0f msgs/s, ratio %.3f; the connector and its source alone (this JVM, records"
                    + " decoded and offered, no rule) %.0f msgs/s, ratio %.3f%n", MESSAGE_SIZE, n, ROUNDS, rule, raw,
                    rule / raw, source, source / raw);
            bench.nngcatRead(n);
            bench.latency(rate, seconds);
        } finally {
            bench.stopRuntime();
        }
        System.exit(0);
    }

    /** A Neuron data message of {@value #MESSAGE_SIZE} bytes carrying its sequence number and send time. */
    static byte[] message(int seq, long sentNanos) {
        String head = "{\"node_name\":\"node1\",\"group_name\":\"group1\",\"timestamp\":1646125996000,\"values\":{"
                + "\"seq\":" + seq + ",\"sent\":" + sentNanos + ",\"temperature\":21.5,\"pad\":\"";
        String tail = "\"},\"errors\":{}}";
        int pad = MESSAGE_SIZE - head.length() - tail.length();
        return (head + "x".repeat(Math.max(0, pad)) + tail).getBytes(UTF_8);
    }

    /** The listener sends N messages to a plain socket that reads and counts frames: msgs/s. */
    private double rawRead(int n) throws Exception {
        try (PairListener neuron = PairListener.tcp(0); SocketChannel reader = SocketChannel.open()) {
            reader.connect(new InetSocketAddress("127.0.0.1", neuron.port()));
            reader.write(ByteBuffer.wrap(SpPipe.header(SpPipe.PAIR0)));
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (in.position() < 8) {
                reader.read(in);
            }
            in.flip().position(8).compact();
            Poll.until("the reader is attached", neuron::attached);
            byte[] body = message(0, 0);
            long start = System.nanoTime();
            Thread sender = sendAll(neuron, body, n);
            long frames = 0;
            while (frames < n) {
                if (reader.read(in) < 0) {
                    throw new IOException("the listener closed the pipe");
                }
                in.flip();
                while (in.remaining() >= 8 && in.remaining() >= 8 + in.getLong(in.position())) {
                    in.position(in.position() + 8 + (int) in.getLong(in.position()));
                    frames++;
                }
                in.compact();
            }
            double rate = n * 1e9 / (System.nanoTime() - start);
            sender.join();
            return rate;
        }
    }

    private static Thread sendAll(PairListener neuron, byte[] body, int n) {
        Thread sender = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                if (!neuron.send(body)) {
                    throw new IllegalStateException("send " + i + " failed");
                }
            }
        }, "bench-sender");
        sender.start();
        return sender;
    }

    /**
     * The connector in this JVM, without the rule layer: the pool dials the listener, a neuron source decodes each
     * message into a record and offers it to a context that only counts.
     */
    private double sourceRate(int n) throws Exception {
        try (PairListener neuron = PairListener.tcp(0); TestPool pool = TestPool.create();
                CountingContext counting = new CountingContext(pool)) {
            NeuronSourceProvider sources = new NeuronSourceProvider();
            pool.addType(NeuronConnectorFactory.TYPE, new NeuronConnectorFactory(sources));
            Source source = sources.create("", Map.of("url", neuron.url()));
            source.open(counting);
            try {
                Poll.until("the pool dialled", neuron::attached);
                long start = System.nanoTime();
                Thread sender = sendAll(neuron, message(0, 0), n);
                Poll.until("the source offered every message", Duration.ofSeconds(120),
                        () -> counting.offered.get() >= n, counting.offered::get);
                double rate = n * 1e9 / (System.nanoTime() - start);
                sender.join();
                return rate;
            } finally {
                source.close();
            }
        }
    }

    /** A source context that accepts every record and counts it. */
    private static final class CountingContext implements SourceContext, AutoCloseable {
        final AtomicLong offered = new AtomicLong();
        private final ConnectionPool pool;

        CountingContext(ConnectionPool pool) {
            this.pool = pool;
        }

        @Override
        public String ruleId() {
            return "bench";
        }

        @Override
        public String operatorId() {
            return "source_bench";
        }

        @Override
        public ConnectionPool pool() {
            return pool;
        }

        @Override
        public StatusListener connectionStatusListener() {
            return (id, status) -> {
            };
        }

        @Override
        public void reportError(Throwable error) {
            System.out.println("    source error: " + error);
        }

        @Override
        public void emit(RawMessage message) {
            offered.incrementAndGet();
        }

        @Override
        public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
            offered.incrementAndGet();
        }

        @Override
        public Acceptance offer(RawMessage message, Duration maxWait) {
            offered.incrementAndGet();
            return Acceptance.ACCEPTED;
        }

        @Override
        public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait) {
            offered.incrementAndGet();
            return Acceptance.ACCEPTED;
        }

        @Override
        public Reservation reserve(Duration maxWait) {
            return new ImmediateReservation(this);
        }

        @Override
        public Map<String, Object> state() {
            return Map.of();
        }

        @Override
        public void saveState(Map<String, Object> state) {
        }

        @Override
        public void close() {
        }
    }

    /** NNG's own reader: nngcat dials the listener and counts N messages. */
    private void nngcatRead(int n) throws Exception {
        try (PairListener neuron = PairListener.tcp(0)) {
            Process nngcat = new ProcessBuilder(Nngcat.BINARY.toString(), "--pair0", "--dial",
                    "tcp://127.0.0.1:" + neuron.port(), "--format", "no", "--count", Integer.toString(n))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("nngcat.out").toFile()).start();
            long start = System.nanoTime();
            Poll.until("nngcat is attached", Duration.ofSeconds(10), neuron::attached);
            Thread sender = sendAll(neuron, message(0, 0), n);
            if (!nngcat.waitFor(120, TimeUnit.SECONDS)) {
                nngcat.destroyForcibly();
                throw new IllegalStateException("nngcat did not receive " + n + " messages");
            }
            double rate = n * 1e9 / (System.nanoTime() - start);
            sender.join();
            System.out.printf("cross-check: nngcat (NNG 1.5.2) reads the Java sender's %d messages at %.0f msgs/s"
                    + " (its start included), exit %d%n", n, rate, nngcat.exitValue());
        }
    }

    /** The runtime's rule to nop: msgs/s from the first send until the nop sink counted N more. */
    private double ruleRate(int n) throws Exception {
        String id = "bench" + ++round;
        try (PairListener neuron = PairListener.tcp(0)) {
            createRule(id, neuron.url(), "SELECT * FROM " + id, List.of(Map.of("nop", Map.of())));
            Poll.until("the runtime dialled", Duration.ofSeconds(30), neuron::attached);
            byte[] body = message(0, 0);
            long start = System.nanoTime();
            Thread sender = sendAll(neuron, body, n);
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            JsonNode status;
            long out;
            long dropped;
            do {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                status = ruleStatus(id);
                out = status.path("sink_nop_0_records_out_total").asLong();
                dropped = status.path("source_" + id + "_0_exceptions_total").asLong();
            } while (out + dropped < n && System.nanoTime() < deadline);
            double rate = out * 1e9 / (System.nanoTime() - start);
            sender.join();
            if (dropped > 0 || out < n) {
                System.out.printf("    rule %s: %d of %d through, %d dropped (no room within 500 ms)%n", id, out, n,
                        dropped);
            }
            deleteRule(id);
            return rate;
        }
    }

    /** Messages at a steady rate through a rule whose neuron sink writes them back: latency percentiles. */
    private void latency(int rate, int seconds) throws Exception {
        String id = "echo";
        int n = rate * seconds;
        AtomicLongArray latencies = new AtomicLongArray(n);
        try (PairListener neuron = PairListener.tcp(0)) {
            createRule(id, neuron.url(), "SELECT values FROM " + id, List.of(Map.of("neuron", Map.of(
                    "connectionSelector", id, "nodeName", "node1", "groupName", "group1"))));
            Poll.until("the runtime dialled", Duration.ofSeconds(30), neuron::attached);
            for (int i = 0; i < 1000; i++) { // warm-up, not counted
                neuron.send(message(-1, System.nanoTime()));
                LockSupport.parkNanos(1_000_000);
            }
            Thread receiver = new Thread(() -> {
                try {
                    int received = 0;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
                    while (received < n && System.nanoTime() < end) {
                        byte[] write = neuron.next(Duration.ofSeconds(1));
                        if (write == null) {
                            continue;
                        }
                        long now = System.nanoTime();
                        JsonNode value = JSON.readTree(write).path("tags").path(0).path("value");
                        int seq = value.path("seq").asInt();
                        if (seq >= 0) {
                            latencies.set(seq, now - value.path("sent").asLong());
                            received++;
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "bench-receiver");
            receiver.start();
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                neuron.send(message(i, System.nanoTime()));
            }
            receiver.join();
            long[] sorted = new long[n];
            int arrived = 0;
            for (int i = 0; i < n; i++) {
                if (latencies.get(i) > 0) {
                    sorted[arrived++] = latencies.get(i);
                }
            }
            Arrays.sort(sorted, 0, arrived);
            System.out.printf("latency at %d msgs/s for %d s (send -> rule -> neuron sink -> back, %d of %d back):"
                    + " p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", rate, seconds, arrived, n,
                    percentile(sorted, arrived, 0.50), percentile(sorted, arrived, 0.99),
                    arrived == 0 ? 0 : sorted[arrived - 1] / 1e6);
            deleteRule(id);
        }
    }

    private static double percentile(long[] sorted, int count, double p) {
        return count == 0 ? 0 : sorted[Math.min(count - 1, (int) Math.ceil(p * count) - 1)] / 1e6;
    }

    private void createRule(String id, String url, String sql, List<Map<String, Object>> actions) throws Exception {
        call("POST", "/connections", Map.of("id", id, "typ", "nng", "props", Map.of("url", url)), 201);
        call("PUT", "/metadata/sources/neuron/confKeys/" + id, Map.of("connectionSelector", id), 200);
        call("POST", "/streams", Map.of("sql", "CREATE STREAM " + id + " () WITH (TYPE=\"neuron\", CONF_KEY=\"" + id
                + "\")"), 201);
        call("POST", "/rules", Map.of("id", id, "sql", sql, "actions", actions), 201);
    }

    private void deleteRule(String id) throws Exception {
        call("DELETE", "/rules/" + id, null, 200);
        call("DELETE", "/streams/" + id, null, 200);
        call("DELETE", "/connections/" + id, null, 200);
    }

    private JsonNode ruleStatus(String id) throws Exception {
        return JSON.readTree(call("GET", "/rules/" + id + "/status", null, 200));
    }

    private String call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** The exported runtime, started by its launcher script as users start it, on a free port. */
    private void startRuntime() throws Exception {
        Path launcher = Path.of("distribution/target/tether");
        if (!Files.isExecutable(launcher)) {
            launcher = Path.of("../distribution/target/tether");
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no distribution/target/tether: mvn install -DskipTests first");
        }
        ProcessBuilder builder = new ProcessBuilder(launcher.toAbsolutePath().toString(), "-Dgosh.args=--nointeractive")
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("runtime.log").toFile());
        builder.environment().put("TETHER_PORT", Integer.toString(httpPort));
        builder.environment().put("TETHER_DATA_DIR", directory.resolve("data").toString());
        builder.environment().put("TETHER_HOME", directory.toString());
        builder.environment().put("TETHER_CDS", "0");
        runtime = builder.start();
        Poll.until("the runtime answers", Duration.ofSeconds(60), () -> {
            try {
                call("GET", "/connections", null, 200);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        System.out.println("runtime " + launcher + " (its launcher's flags, heap " + System.getenv()
                .getOrDefault("TETHER_HEAP", "96m") + "), log " + directory.resolve("runtime.log") + "; sender "
                + HexFormat.of().formatHex(SpPipe.header(SpPipe.PAIR0)) + " pair0 over TCP");
    }

    private void stopRuntime() throws InterruptedException {
        if (runtime != null) {
            runtime.destroy();
            if (!runtime.waitFor(10, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }
}
