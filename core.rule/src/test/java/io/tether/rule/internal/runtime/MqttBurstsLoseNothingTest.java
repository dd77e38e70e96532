package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

/**
 * Issue 9, "nothing accepted is lost": bursts through a {@code SELECT *} relay rule with default options, over the
 * real pool and conn.mqtt, against a private Mosquitto without queue caps. A publisher sends as fast as a client can;
 * the rule's buffer (1024) fills, and the rule holds its source back instead of dropping what the broker was told we
 * took.
 */
class MqttBurstsLoseNothingTest {
    private static final Pattern ID = Pattern.compile("\"id\":(-?\\d+)");
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path directory;
    private Mosquitto broker;
    private RulesOverMqtt rules;
    private MqttAsyncClient counter;
    private MqttAsyncClient publisher;
    /** The ids that came out of the rule, in arrival order. */
    private final List<Integer> arrived = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        broker = Mosquitto.start(directory.resolve("broker"), "max_queued_messages 0");
        rules = new RulesOverMqtt(directory);
        counter = BareMqtt.connect(broker.tcpUrl());
        publisher = BareMqtt.connect(broker.tcpUrl());
    }

    @AfterEach
    void stop() throws Exception {
        counter.disconnect().waitForCompletion();
        counter.close();
        publisher.disconnect().waitForCompletion();
        publisher.close();
        rules.close();
        broker.close();
    }

    @Test
    void aQos1BurstOfFiftyThousandArrivesWholeAndInOrder() throws Exception {
        relay("relay", 1, RuleOptions.DEFAULT);
        burst(1, 50_000, () -> {
        });
        assertAllArrivedInOrder(50_000);
        assertEquals(0L, rules.engine.status("relay").get("source_s_0_exceptions_total"));
    }

    @Test
    void aQos0BurstOfTwoHundredThousandArrivesWhole() throws Exception {
        relay("relay", 0, RuleOptions.DEFAULT);
        burst(0, 200_000, () -> {
        });
        assertEquals(200_000, distinct(), "messages lost; rule: " + rules.engine.status("relay"));
    }

    @Test
    void withOverflowDropTheLossesAreCounted() throws Exception {
        relay("relay", 0, new RuleOptions(16, RuleOptions.Overflow.DROP));
        int n = 50_000;
        publishAll(0, n);
        AtomicLong dropped = new AtomicLong();
        awaitQuiet(() -> {
            dropped.set((Long) rules.engine.status("relay").get("source_s_0_exceptions_total"));
            return distinct() + dropped.get() >= n;
        });
        assertTrue(dropped.get() > 0, "a 16-record buffer took a 50,000 burst without dropping");
        assertEquals(n, distinct() + dropped.get());
    }

    @Test
    void updatingTheConnectionInTheMiddleOfAQos1BurstLosesNothing() throws Exception {
        Map<String, Object> props = Map.of("server", broker.tcpUrl(), "clientid", "relay-session",
                "enableClientSession", true);
        relay("relay", 1, RuleOptions.DEFAULT, props);
        int n = 50_000;
        burst(1, n, () -> {
            awaitArrived(n / 4);
            rules.pool.update("relay", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "relay-session",
                    "enableClientSession", true, "keepAlive", 20));
            awaitArrived(n / 2);
            rules.pool.update("relay", "mqtt", props);
        });
        assertEquals(n, distinct(), "messages lost across two updates of the connection; connection: "
                + rules.pool.get("relay").orElseThrow().status() + "; rule: " + rules.engine.status("relay"));
        System.out.printf("QoS 1 burst of %d with two connection updates: %d duplicates%n", n, arrived.size() - n);
    }

    @Test
    void aSlowSecondRuleOnTheRelaysConnectionHoldsItBackWithoutDeadlockOrLoss() throws Exception {
        AtomicInteger slowReceived = new AtomicInteger();
        rules.engine.addSinkProvider(new SlowSinkProvider(slowReceived),
                Map.of(ConnectorFactory.TYPE_PROPERTY, "slow"));
        relay("relay", 1, RuleOptions.DEFAULT, Map.of("server", broker.tcpUrl(), "keepAlive", 2));
        rules.engine.createRule(new RuleDefinition("slow", "SELECT * FROM s", List.of(new Action("slow", Map.of())),
                true));
        int n = 5_000;
        burst(1, n, () -> {
        });
        awaitQuiet(() -> slowReceived.get() >= n + 1);
        assertEquals(n, distinct());
        ConnectionStatus link = rules.pool.get("relay").orElseThrow().status();
        assertEquals(Status.CONNECTED, link.status());
        assertEquals(0, link.lastDisconnected(), "the link dropped while the slow rule held the relay back: " + link);
        assertTrue((Long) rules.engine.status("relay").get("source_s_0_blocked_ms_total") > 0
                || (Long) rules.engine.status("slow").get("source_s_0_blocked_ms_total") > 0,
                "nobody waited: " + rules.engine.status("slow"));
    }

    private void relay(String connection, int qos, RuleOptions options) throws Exception {
        relay(connection, qos, options, Map.of("server", broker.tcpUrl()));
    }

    /** Stream {@code s} over named connection {@code connection}, and rule "relay" out to {@code out} on it. */
    private void relay(String connection, int qos, RuleOptions options, Map<String, Object> props)
            throws Exception {
        rules.pool.create(connection, "mqtt", props);
        rules.engine.putConfKey("mqtt", connection,
                Map.of(ConnectionPool.CONNECTION_SELECTOR, connection, "qos", qos));
        rules.engine.createStream("CREATE STREAM s () WITH (TYPE=\"mqtt\", DATASOURCE=\"in\", CONF_KEY=\""
                + connection + "\", SHARED=\"true\")");
        rules.engine.createRule(new RuleDefinition("relay", "SELECT * FROM s", List.of(new Action("mqtt",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, connection, "topic", "out", "qos", qos,
                        "sendSingle", true))), true, options));
        counter.subscribe("out", qos, (topic, message) -> {
            Matcher id = ID.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
            if (id.find()) {
                arrived.add(Integer.parseInt(id.group(1)));
            }
        }).waitForCompletion();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!arrived.contains(-1)) {
            assertTrue(System.nanoTime() < deadline, "no probe came through the relay");
            BareMqtt.publish(publisher, "in", BareMqtt.payload(-1, 75.5), 1);
            Thread.sleep(20);
        }
        awaitQuiet(() -> true);
        arrived.clear();
    }

    /** Publishes ids 0..n-1 as fast as the client takes them, runs {@code meanwhile}, waits for the flow to end. */
    private void burst(int qos, int n, ThrowingRunnable meanwhile) throws Exception {
        Thread sender = new Thread(() -> {
            try {
                publishAll(qos, n);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "burst-publisher");
        sender.start();
        meanwhile.run();
        sender.join();
        awaitQuiet(() -> distinct() >= n);
    }

    private void publishAll(int qos, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            BareMqtt.publish(publisher, "in", BareMqtt.payload(i, 21.5), qos);
        }
    }

    private void awaitArrived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (arrived.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + arrived.size() + " of " + count + " arrived");
            Thread.sleep(5);
        }
    }

    /** Waits until the condition holds, or until nothing arrived for 10 s (then the caller's asserts tell). */
    private void awaitQuiet(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (!done.getAsBoolean() && System.nanoTime() < deadline
                && System.nanoTime() - lastChange < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(20);
            if (arrived.size() != last) {
                last = arrived.size();
                lastChange = System.nanoTime();
            }
        }
    }

    private int distinct() {
        synchronized (arrived) {
            BitSet seen = new BitSet();
            arrived.stream().filter(id -> id >= 0).forEach(seen::set);
            return seen.cardinality();
        }
    }

    /** Every id 0..n-1 arrived; the first arrival of each id comes in publishing order. */
    private void assertAllArrivedInOrder(int n) {
        assertEquals(n, distinct(), "messages lost; rule: " + rules.engine.status("relay"));
        synchronized (arrived) {
            BitSet seen = new BitSet();
            int expected = 0;
            for (int id : arrived) {
                if (id >= 0 && !seen.get(id)) {
                    assertEquals(expected, id, "out of order");
                    seen.set(id);
                    expected++;
                }
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Sinks that take 1 ms per emission: a peer slower than the burst. */
    private record SlowSinkProvider(AtomicInteger received) implements SinkProvider {
        @Override
        public List<PropError> validate(Map<String, Object> props) {
            return List.of();
        }

        @Override
        public Sink create(Map<String, Object> props) {
            return new Sink() {
                @Override
                public void open(SinkContext context) {
                }

                @Override
                public void collect(List<Map<String, Object>> records) throws InterruptedException {
                    Thread.sleep(1);
                    received.addAndGet(records.size());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
