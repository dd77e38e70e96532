package io.tether.rule.internal.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import io.tether.api.connection.ConnectionPool;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TestPool;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

/**
 * The rule layer's benchmark, not part of the build's tests: {@code mvn -q -pl core.rule exec:java} (README). As
 * conn.mqtt's MqttBenchmark, but through real rules of the RuleEngine over the real pool and conn.mqtt:
 * <ul>
 * <li>relay: rule {@code SELECT * FROM s}, its MQTT source and sink ({@code sendSingle}) on one named connection,
 * against a bare Paho client that decodes, re-encodes and publishes with Jackson, in the same run: three alternating
 * rounds, the best of each side compared; and Node-RED 4's relay ({@code mqtt in → json → mqtt out}) when it is
 * installed (see {@link NodeRedRelay}). The publisher sends as fast as it can, faster than either relay: the bare
 * client queues the backlog without bound; the rule runs with default options, so its full buffer holds its source
 * back, and with it the broker.</li>
 * <li>filter: rule {@code SELECT * FROM s WHERE temperature > 50}, which half the messages pass: rates in and out,
 * process CPU, heap after a GC, the rule's own metrics.</li>
 * <li>fan-out: many rules (eKuiper's scenario: 300) with {@code nop} sinks on one SHARED stream, fed at a steady
 * rate (500 msgs/s): records processed per second, CPU, heap.</li>
 * </ul>
 * One private Mosquitto with {@code max_queued_messages 0} and {@code max_inflight_messages 0}. CPU and heap are the
 * whole process's: Maven, the publisher and the counting subscriber included. Prints figures; asserts nothing.
 */
public final class RuleBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };
    private static final Duration STALL = Duration.ofSeconds(10);
    private static final String RULE = "bench";
    private static final int ROUNDS = 3;
    private static final String RELAY = "SELECT * FROM s";
    private static final String FILTER = "SELECT * FROM s WHERE temperature > 50";

    private final Path directory;
    private final Mosquitto broker;
    private final RulesOverMqtt rules;
    private final TestPool pool;
    private final RuleEngine engine;
    private int round;

    private RuleBenchmark(Path directory) throws Exception {
        this.directory = directory;
        // the fan-out reads the broker's subscription count from $SYS, which the broker updates every second
        broker = Mosquitto.start(directory.resolve("broker"), "max_queued_messages 0", "max_inflight_messages 0");
        rules = new RulesOverMqtt(directory);
        pool = rules.pool;
        engine = rules.engine;
    }

    /** Arguments, all optional: N at QoS 0, N at QoS 1, N of the filter, fan-out rules, fan-out seconds. */
    public static void main(String[] args) throws Exception {
        int qos0 = argument(args, 0, 200_000);
        int qos1 = argument(args, 1, 50_000);
        int filtered = argument(args, 2, 200_000);
        int fanOutRules = argument(args, 3, 300);
        int fanOutSeconds = argument(args, 4, 20);
        RuleBenchmark bench = new RuleBenchmark(Files.createTempDirectory("tether-rule-bench"));
        try {
            System.out.println("warm-up");
            bench.ruleRelay(RELAY, 0, 20_000, 20_000);
            bench.pahoRelay(0, 20_000);
            bench.ruleRelay(RELAY, 1, 10_000, 10_000);
            bench.pahoRelay(1, 10_000);
            for (int[] run : new int[][] { { 0, qos0 }, { 1, qos1 } }) {
                // alternating rounds, best of each side: on a small machine one round varies by ±10 %
                RuleResult rule = null;
                Result paho = null;
                Result nodeRed = null;
                for (int round = 0; round < ROUNDS; round++) {
                    RuleResult ruleRound = bench.ruleRelay(RELAY, run[0], run[1], run[1]);
                    Result pahoRound = bench.pahoRelay(run[0], run[1]);
                    Result nodeRedRound = bench.nodeRedRelay(run[0], run[1]);
                    System.out.printf("  round %d QoS %d: rule %.0f msgs/s, bare paho %.0f msgs/s%s%n", round + 1,
                            run[0], ruleRound.relay().rate(), pahoRound.rate(), nodeRedRound == null ? ""
                                    : String.format(", node-red %.0f msgs/s (lost %d)", nodeRedRound.rate(),
                                            nodeRedRound.lost()));
                    rule = rule == null || ruleRound.relay().rate() > rule.relay().rate() ? ruleRound : rule;
                    paho = paho == null || pahoRound.rate() > paho.rate() ? pahoRound : paho;
                    nodeRed = nodeRedRound == null || nodeRed != null && nodeRed.rate() > nodeRedRound.rate()
                            ? nodeRed : nodeRedRound;
                }
                System.out.printf("relay QoS %d N=%d, best of %d: rule %.0f msgs/s (lost %d), bare paho %.0f msgs/s"
                        + " (lost %d), ratio %.2f%n", run[0], run[1], ROUNDS, rule.relay().rate(),
                        rule.relay().lost(), paho.rate(), paho.lost(), rule.relay().rate() / paho.rate());
                if (nodeRed != null) {
                    System.out.printf("  node-red %.0f msgs/s (lost %d): node-red/paho %.2f, rule/node-red %.2f%n",
                            nodeRed.rate(), nodeRed.lost(), nodeRed.rate() / paho.rate(),
                            rule.relay().rate() / nodeRed.rate());
                }
                if (rule.relay().lost() > 0) {
                    System.out.printf("  the publisher offered %.0f msgs/s; rule: %s%n", rule.relay().offeredRate(),
                            rule.metrics());
                }
            }
            bench.filter(filtered);
            bench.fanOut(fanOutRules, 500, fanOutSeconds);
        } finally {
            bench.rules.close();
            bench.broker.close();
        }
        System.exit(0);
    }

    private static int argument(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    /**
     * @param expected       messages that arrive on {@code out}
     * @param nanos          from the first publish to the last arrival
     * @param publishedNanos from the first publish to the last
     */
    record Result(int sent, int expected, long received, long nanos, long publishedNanos, long cpuNanos) {
        double rate() {
            return received * 1e9 / nanos;
        }

        double offeredRate() {
            return sent * 1e9 / publishedNanos;
        }

        long lost() {
            return expected - received;
        }
    }

    /** @param metrics the rule's counters over the measured messages: the probes before them subtracted */
    record RuleResult(Result relay, Map<String, Long> metrics) {
    }

    /** The rule on stream {@code s} of a new named connection, its source and sink at {@code qos}. */
    private RuleResult ruleRelay(String sql, int qos, int n, int expected) throws Exception {
        String connection = "relay" + ++round;
        String in = "in/" + round;
        String out = "out/" + round;
        pool.create(connection, "mqtt", Map.of("server", broker.tcpUrl()));
        engine.putConfKey("mqtt", connection, Map.of(ConnectionPool.CONNECTION_SELECTOR, connection, "qos", qos));
        engine.createStream("CREATE STREAM s () WITH (TYPE=\"mqtt\", DATASOURCE=\"" + in + "\", CONF_KEY=\""
                + connection + "\")");
        engine.createRule(new RuleDefinition(RULE, sql, List.of(new Action("mqtt", Map.of(
                ConnectionPool.CONNECTION_SELECTOR, connection, "topic", out, "qos", qos, "sendSingle", true))),
                true, RuleOptions.DEFAULT));
        try {
            Object status = engine.status(RULE).get("status");
            if (!"running".equals(status)) {
                throw new IllegalStateException("the rule does not run: " + status);
            }
            AtomicReference<Map<String, Long>> atStart = new AtomicReference<>();
            Result result = measure(qos, n, expected, in, out, () -> atStart.set(counters(RULE)));
            Map<String, Long> atEnd = counters(RULE);
            atEnd.replaceAll((key, value) -> value - atStart.get().get(key));
            return new RuleResult(result, atEnd);
        } finally {
            engine.deleteRule(RULE);
            engine.deleteStream("s");
            engine.deleteConfKey("mqtt", connection);
            pool.delete(connection);
        }
    }

    /** The rule's counters: records in and out and exceptions of each node. */
    private Map<String, Long> counters(String ruleId) {
        Map<String, Long> counters = new TreeMap<>();
        engine.status(ruleId).forEach((key, value) -> {
            if (key.endsWith("_total")) {
                counters.put(key, (Long) value);
            }
        });
        return counters;
    }

    /**
     * A bare Paho client: subscribe in, Jackson decode + encode, publish out, off Paho's callback thread (on a
     * single-thread executor) as in conn.mqtt's benchmark: publishing from that thread deadlocks at QoS 1.
     */
    private Result pahoRelay(int qos, int n) throws Exception {
        String in = "in/" + ++round;
        String out = "out/" + round;
        MqttAsyncClient relay = BareMqtt.connect(broker.tcpUrl());
        ExecutorService worker = Executors.newSingleThreadExecutor();
        relay.subscribe(in, qos, (topic, message) -> worker.execute(() -> {
            try {
                Map<String, Object> record = JSON.readValue(message.getPayload(), RECORD);
                BareMqtt.publish(relay, out, JSON.writeValueAsBytes(record), qos);
            } catch (Exception e) {
                System.out.println("  paho relay: " + e);
            }
        })).waitForCompletion();
        Result result = measure(qos, n, n, in, out, () -> {
        });
        relay.disconnect().waitForCompletion();
        relay.close();
        worker.shutdown();
        return result;
    }

    /** Node-RED's relay flow on the same broker, or {@code null} when Node-RED is not installed. */
    private Result nodeRedRelay(int qos, int n) throws Exception {
        java.util.Optional<Path> red = NodeRedRelay.installation();
        if (red.isEmpty()) {
            return null;
        }
        String in = "in/" + ++round;
        String out = "out/" + round;
        try (NodeRedRelay relay = NodeRedRelay.start(red.get(), directory.resolve("node-red-" + round),
                broker.port(), in, out, qos)) {
            return measure(qos, n, n, in, out, () -> {
            });
        }
    }

    /**
     * Publishes probes until one comes round, then N messages as fast as the client takes them; counts what arrives
     * on {@code out} until {@code expected} did or nothing came for {@link #STALL}.
     *
     * @param atStart called right before the first of the N messages is published
     */
    private Result measure(int qos, int n, int expected, String in, String out, Runnable atStart) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        MqttAsyncClient counter = BareMqtt.connect(broker.tcpUrl());
        counter.subscribe(out, qos, (topic, message) -> {
            received.incrementAndGet();
            lastArrival.set(System.nanoTime());
        }).waitForCompletion();
        MqttAsyncClient publisher = BareMqtt.connect(broker.tcpUrl());
        awaitProbe(publisher, in, received::get);
        Thread.sleep(500);
        long baseline = received.get();

        atStart.run();
        long cpuAtStart = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BareMqtt.publish(publisher, in, payload(i), qos);
        }
        long published = System.nanoTime() - start;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (received.get() - baseline < expected && System.nanoTime() - lastChange < STALL.toNanos()) {
            Thread.sleep(20);
            if (received.get() != lastCount) {
                lastCount = received.get();
                lastChange = System.nanoTime();
            }
        }
        long cpu = processCpuNanos() - cpuAtStart;
        long got = received.get() - baseline;
        publisher.disconnect().waitForCompletion();
        publisher.close();
        counter.disconnect().waitForCompletion();
        counter.close();
        return new Result(n, expected, Math.min(got, expected), lastArrival.get() - start, published, cpu);
    }

    /** The relay's subscription is live once a probe (which passes the filter) goes round. */
    private static void awaitProbe(MqttAsyncClient publisher, String in, LongSupplier arrived)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (arrived.getAsLong() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no probe came round in 30 s");
            }
            BareMqtt.publish(publisher, in, payload(-1), 1);
            Thread.sleep(20);
        }
    }

    /** The filter rule at QoS 0: half the messages pass. */
    private void filter(int n) throws Exception {
        RuleResult run = ruleRelay(FILTER, 0, n, n / 2);
        Result result = run.relay();
        Map<String, Long> metrics = run.metrics();
        double seconds = result.nanos() / 1e9;
        System.out.printf("filter QoS 0 N=%d (%s, half pass): in %.0f msgs/s, out %.0f msgs/s (lost %d);"
                + " CPU %.1f s, %.0f%% of one core; heap after GC %.1f MB%n", n, FILTER,
                metrics.get("source_s_0_records_in_total") / seconds, result.rate(), result.lost(),
                result.cpuNanos() / 1e9, 100.0 * result.cpuNanos() / result.nanos(), heapAfterGcMegabytes());
        System.out.println("  rule: " + metrics);
    }

    /**
     * {@code rules} rules with nop sinks on one SHARED stream, fed {@code rate} messages a second for
     * {@code seconds}; processed = the rules' records in, summed, per second.
     */
    private void fanOut(int rules, int rate, int seconds) throws Exception {
        String connection = "fanout";
        pool.create(connection, "mqtt", Map.of("server", broker.tcpUrl()));
        engine.putConfKey("mqtt", connection, Map.of(ConnectionPool.CONNECTION_SELECTOR, connection, "qos", 0));
        engine.createStream("CREATE STREAM fan () WITH (TYPE=\"mqtt\", DATASOURCE=\"fan/in\", CONF_KEY=\""
                + connection + "\", SHARED=\"true\")");
        double heapBefore = heapAfterGcMegabytes();
        long subscriptionsBefore = brokerSubscriptions();
        List<String> ids = IntStream.range(0, rules).mapToObj(i -> String.format("fan%03d", i)).toList();
        for (String id : ids) {
            engine.createRule(new RuleDefinition(id, "SELECT * FROM fan WHERE temperature > 50",
                    List.of(new Action("nop", Map.of())), true));
        }
        RuleEngineTest.await(() -> ids.stream().allMatch(id -> Integer.valueOf(1).equals(
                engine.status(id).get("source_fan_0_connection_status"))));
        long subscriptions = brokerSubscriptions() - subscriptionsBefore;

        MqttAsyncClient publisher = BareMqtt.connect(broker.tcpUrl());
        String recordsIn = "source_fan_0_records_in_total";
        awaitProbe(publisher, "fan/in", () -> sum(ids, recordsIn));
        Thread.sleep(500);
        long baseline = sum(ids, recordsIn);
        long baselineOut = sum(ids, "op_select_0_records_out_total");
        long total = (long) rate * seconds;
        long expected = total * rules;

        long cpuAtStart = processCpuNanos();
        long start = System.nanoTime();
        long period = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            BareMqtt.publish(publisher, "fan/in", payload(i), 0);
        }
        long processed = sum(ids, recordsIn) - baseline;
        long lastChange = System.nanoTime();
        long end = lastChange;
        while (processed < expected && System.nanoTime() - lastChange < STALL.toNanos()) {
            Thread.sleep(100);
            long now = sum(ids, recordsIn) - baseline;
            if (now != processed) {
                processed = now;
                lastChange = end = System.nanoTime();
            }
        }
        long cpu = processCpuNanos() - cpuAtStart;
        long passed = sum(ids, "op_select_0_records_out_total") - baselineOut;
        long exceptions = sum(ids, "source_fan_0_exceptions_total") + sum(ids, "op_select_0_exceptions_total");
        double heap = heapAfterGcMegabytes();
        publisher.disconnect().waitForCompletion();
        publisher.close();
        System.out.printf("fan-out: %d rules on one shared stream, %d msgs/s in for %d s: processed %.0f msgs/s"
                + " (%d of %d records, %d passed the filter, %d exceptions); CPU %.1f s, %.0f%% of one core;"
                + " heap after GC %.1f MB (%.1f MB before the rules)%n", rules, rate, seconds,
                processed * 1e9 / (end - start), processed, expected, passed, exceptions, cpu / 1e9,
                100.0 * cpu / (end - start), heap, heapBefore);
        System.out.printf("  broker subscriptions added by the %d rules: %d; references on connection %s: %s%n",
                rules, subscriptions, connection, pool.get(connection).orElseThrow().status().refs());
        ids.forEach(engine::deleteRule);
        engine.deleteStream("fan");
        pool.delete(connection);
    }

    private long sum(List<String> ruleIds, String counter) {
        return ruleIds.stream().mapToLong(id -> (Long) engine.status(id).get(counter)).sum();
    }

    /** Mosquitto's count of subscriptions, less the reading client's own. */
    private long brokerSubscriptions() throws Exception {
        AtomicLong count = new AtomicLong(-1);
        MqttAsyncClient reader = BareMqtt.connect(broker.tcpUrl());
        reader.subscribe("$SYS/broker/subscriptions/count", 0, (topic, message) -> count.set(
                Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8).trim()))).waitForCompletion();
        // the retained figure predates this subscription; the broker republishes it within a second (sys_interval)
        Thread.sleep(2500);
        reader.disconnect().waitForCompletion();
        reader.close();
        return count.get() - 1;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double heapAfterGcMegabytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** A 100-byte JSON object; odd {@code i} (the probe, -1, too) are hot: temperature above 50. */
    static byte[] payload(int i) {
        return BareMqtt.payload(i, Math.floorMod(i, 2) == 1 ? 75.5 : 21.5);
    }
}
