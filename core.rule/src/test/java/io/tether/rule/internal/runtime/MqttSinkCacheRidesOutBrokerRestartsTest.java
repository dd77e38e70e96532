package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;

/**
 * Issue 9, the sink cache end to end: a steady QoS 1 stream from one broker goes through a relay rule whose mqtt sink
 * ({@code enableCache: true}) publishes to a second broker, which is stopped and started again ten times meanwhile.
 * Every message arrives at least once, and the first arrivals keep the stream's order. The second broker keeps its
 * subscriber's persistent session across its restarts, so what it acknowledged to the rule reaches the subscriber.
 */
class MqttSinkCacheRidesOutBrokerRestartsTest {
    private static final Pattern ID = Pattern.compile("\"id\":(-?\\d+)");
    private static final int N = 3_000;
    private static final int RESTARTS = 10;

    @TempDir
    Path directory;
    private Mosquitto source;
    private Mosquitto sink;
    private RulesOverMqtt rules;
    /** A persistent session on the sink's broker, which keeps it across restarts: mosquitto_sub, as a device. */
    private Process subscriber;
    private Path received;
    private MqttAsyncClient publisher;
    private List<Integer> arrived = List.of();

    @BeforeEach
    void start() throws Exception {
        source = Mosquitto.start(directory.resolve("source"), "max_queued_messages 0");
        sink = Mosquitto.start(directory.resolve("sink"), "max_queued_messages 0", "persistence true",
                "persistence_location " + directory.resolve("sink") + "/");
        rules = new RulesOverMqtt(directory);
        received = directory.resolve("received.txt");
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(sink.port()),
                "-c", "-i", "cache-subscriber", "-q", "1", "-t", "out").redirectErrorStream(true)
                .redirectOutput(received.toFile()).start();
        publisher = BareMqtt.connect(source.tcpUrl());
    }

    @AfterEach
    void stop() throws Exception {
        publisher.disconnect().waitForCompletion();
        publisher.close();
        subscriber.destroy();
        subscriber.waitFor();
        rules.close();
        sink.close();
        source.close();
    }

    @Test
    void everyMessageArrivesInOrderThroughTenRestartsOfTheSinksBroker() throws Exception {
        rules.pool.create("in", "mqtt", Map.of("server", source.tcpUrl()));
        rules.pool.create("out", "mqtt", Map.of("server", sink.tcpUrl()));
        rules.engine.putConfKey("mqtt", "in", Map.of(ConnectionPool.CONNECTION_SELECTOR, "in", "qos", 1));
        rules.engine.createStream("CREATE STREAM s () WITH (TYPE=\"mqtt\", DATASOURCE=\"in\", CONF_KEY=\"in\")");
        rules.engine.createRule(new RuleDefinition("relay", "SELECT * FROM s", List.of(new Action("mqtt", Map.of(
                ConnectionPool.CONNECTION_SELECTOR, "out", "topic", "out", "qos", 1, "sendSingle", true,
                "enableCache", true))), true));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(distinct() >= 0 && arrived.contains(-1))) {
            assertTrue(System.nanoTime() < deadline, "no probe came through the relay");
            BareMqtt.publish(publisher, "in", BareMqtt.payload(-1, 20.5), 1);
            Thread.sleep(20);
        }

        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
        Thread steady = new Thread(() -> {
            try {
                for (int i = 0; i < N; i++) {
                    BareMqtt.publish(publisher, "in", BareMqtt.payload(i, 20.5), 1);
                    published.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "steady-publisher");
        steady.start();
        for (int restart = 1; restart <= RESTARTS; restart++) {
            int due = restart * N / (RESTARTS + 1);
            await(() -> published.get() >= due, Duration.ofSeconds(60));
            sink.stop();
            Thread.sleep(50 * restart);
            sink.start();
        }
        steady.join();
        await(() -> distinct() == N, Duration.ofSeconds(120));

        assertEquals(N, distinct(), "messages lost; rule: " + rules.engine.status("relay"));
        BitSet seen = new BitSet();
        int expected = 0;
        for (int id : arrived) {
            if (id >= 0 && !seen.get(id)) {
                assertEquals(expected, id, "first arrivals out of order");
                seen.set(id);
                expected++;
            }
        }
        Map<String, Object> status = rules.engine.status("relay");
        System.out.printf("%d messages through %d restarts of the sink's broker: %d duplicates; resent %s%n", N,
                RESTARTS, arrived.size() - 1 - N, status.get("sink_mqtt_0_cache_resent_total"));
    }

    private int distinct() {
        readArrivals();
        BitSet seen = new BitSet();
        arrived.stream().filter(id -> id >= 0).forEach(seen::set);
        return seen.cardinality();
    }

    /** The ids that came out of the rule, in arrival order. */
    private void readArrivals() {
        try {
            List<Integer> ids = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(received)) {
                Matcher id = ID.matcher(line);
                if (id.find()) {
                    ids.add(Integer.parseInt(id.group(1)));
                }
            }
            arrived = ids;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
