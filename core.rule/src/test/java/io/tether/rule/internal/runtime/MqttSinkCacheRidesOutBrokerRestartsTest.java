package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.mqtt.internal.BareClients;
import io.tether.mqtt.internal.Mosquitto;
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
    private MqttClient subscriber;
    private MqttAsyncClient publisher;
    private final List<Integer> arrived = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        source = Mosquitto.start(directory.resolve("source"), "max_queued_messages 0");
        sink = Mosquitto.start(directory.resolve("sink"), "max_queued_messages 0", "persistence true",
                "persistence_location " + directory.resolve("sink") + "/");
        rules = new RulesOverMqtt(directory);
        subscriber = new MqttClient(sink.tcpUrl(), "cache-subscriber", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        options.setMaxInflight(1000);
        subscriber.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                Matcher id = ID.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
                if (id.find()) {
                    arrived.add(Integer.parseInt(id.group(1)));
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        subscriber.connect(options);
        subscriber.subscribe("out", 1);
        publisher = BareClients.connect(source.tcpUrl());
    }

    @AfterEach
    void stop() throws Exception {
        publisher.disconnect().waitForCompletion();
        publisher.close();
        subscriber.disconnectForcibly(1000);
        subscriber.close();
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
        while (!arrived.contains(-1)) {
            assertTrue(System.nanoTime() < deadline, "no probe came through the relay");
            BareClients.publish(publisher, "in", BareClients.payload(-1, 20.5), 1);
            Thread.sleep(20);
        }

        Thread steady = new Thread(() -> {
            try {
                for (int i = 0; i < N; i++) {
                    BareClients.publish(publisher, "in", BareClients.payload(i, 20.5), 1);
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "steady-publisher");
        steady.start();
        for (int restart = 1; restart <= RESTARTS; restart++) {
            int before = distinct();
            await(() -> distinct() > before + 50, Duration.ofSeconds(60));
            sink.stop();
            Thread.sleep(100 + 50 * restart);
            sink.start();
        }
        steady.join();
        await(() -> distinct() == N, Duration.ofSeconds(120));

        assertEquals(N, distinct(), "messages lost; rule: " + rules.engine.status("relay"));
        synchronized (arrived) {
            BitSet seen = new BitSet();
            int expected = 0;
            for (int id : arrived) {
                if (id >= 0 && !seen.get(id)) {
                    assertEquals(expected, id, "first arrivals out of order");
                    seen.set(id);
                    expected++;
                }
            }
        }
        Map<String, Object> status = rules.engine.status("relay");
        System.out.printf("%d messages through %d restarts of the sink's broker: %d duplicates; resent %s%n", N,
                RESTARTS, arrived.size() - 1 - N, status.get("sink_mqtt_0_cache_resent_total"));
    }

    private int distinct() {
        synchronized (arrived) {
            BitSet seen = new BitSet();
            arrived.stream().filter(id -> id >= 0).forEach(seen::set);
            return seen.cardinality();
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
