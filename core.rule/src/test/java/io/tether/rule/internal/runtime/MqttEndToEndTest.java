package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TestPool;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;

/**
 * Rules with MQTT sources and sinks through the real pool and conn.mqtt, against a private mosquitto: one over
 * named and anonymous pooled connections; an anonymous connection goes away when its rule stops.
 */
class MqttEndToEndTest {

    @TempDir
    Path directory;
    private Mosquitto broker;
    private RulesOverMqtt rules;
    private TestPool pool;
    private RuleEngine engine;
    private MqttClient subscriber;
    private final List<String> received = new CopyOnWriteArrayList<>();
    /** Messages out of the rules that carry the word "probe", kept apart from what the tests assert on. */
    private final List<String> probes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = Mosquitto.start(directory.resolve("broker"));
        rules = new RulesOverMqtt(directory);
        pool = rules.pool;
        engine = rules.engine;

        subscriber = new MqttClient(broker.tcpUrl(), "e2e-subscriber", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1000);
        subscriber.connect(options);
        subscriber.subscribe("out/#", 1, (topic, message) -> {
            String text = topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8);
            (text.contains("probe") ? probes : received).add(text);
        });
        engine.createStream("CREATE STREAM sim () WITH (TYPE=\"simulator\")");
    }

    @AfterEach
    void stop() throws Exception {
        rules.close();
        subscriber.disconnect();
        subscriber.close();
        broker.close();
    }

    @Test
    void rulesPublishOverNamedAndAnonymousConnections() throws Exception {
        pool.create("conn1", "mqtt", Map.of("server", broker.tcpUrl()));
        engine.createRule(new RuleDefinition("named", "SELECT id FROM sim", List.of(new Action("mqtt",
                Map.of("connectionSelector", "conn1", "topic", "out/named", "sendSingle", true))), true));
        engine.createRule(new RuleDefinition("anonymous", "SELECT id AS n FROM sim", List.of(
                new Action("mqtt", Map.of("server", broker.tcpUrl(), "topic", "out/anonymous"))), true));

        // records emitted before a connection is up fail in the sink (counted); later ones arrive
        RuleEngineTest.await(() -> received.stream().anyMatch(m -> m.startsWith("out/named "))
                && received.stream().anyMatch(m -> m.startsWith("out/anonymous ")));
        assertTrue(received.stream().filter(m -> m.startsWith("out/named "))
                .allMatch(m -> m.matches("out/named \\{\"id\":\\d+}")), "" + received);
        assertTrue(received.stream().filter(m -> m.startsWith("out/anonymous "))
                .allMatch(m -> m.matches("out/anonymous \\[\\{\"n\":\\d+}]")), "" + received);
        assertEquals(1, engine.status("named").get("sink_mqtt_0_connection_status"));
        assertEquals(1, engine.status("anonymous").get("sink_mqtt_0_connection_status"));
        // counted once the publish is acknowledged, which may come after the subscriber already has the message
        RuleEngineTest.await(() -> (Long) engine.status("named").get("sink_mqtt_0_records_out_total") >= 1);
        assertEquals(List.of("named"), pool.get("conn1").orElseThrow().status().refs());
        List<ConnectionInfo> anonymous = pool.list(true).stream().filter(c -> !c.id().equals("conn1")).toList();
        assertEquals(1, anonymous.size());
        assertEquals(List.of("anonymous"), anonymous.get(0).status().refs());

        engine.stop("anonymous");
        assertEquals(List.of("conn1"), pool.list(true).stream().map(ConnectionInfo::id).toList());
        engine.stop("named");
        assertEquals(List.of(), pool.get("conn1").orElseThrow().status().refs());
    }

    @Test
    void anMqttSourceWithAConfKeyFiltersIntoAnMqttSink() throws Exception {
        writeMqttConf("default:\n  qos: 1\ndemo_conf:\n  connectionSelector: conn1\n");
        pool.create("conn1", "mqtt", Map.of("server", broker.tcpUrl()));
        engine.createStream("CREATE STREAM demo () WITH (TYPE=\"mqtt\", DATASOURCE=\"in/demo\", "
                + "CONF_KEY=\"demo_conf\")");
        engine.createRule(new RuleDefinition("relay", "SELECT temperature, id AS device FROM demo "
                + "WHERE temperature > 20", List.of(new Action("mqtt",
                        Map.of("connectionSelector", "conn1", "topic", "out/relay", "sendSingle", true))), true));
        awaitSubscribed("in/demo", "{\"temperature\": 99, \"id\": \"probe\"}", "out/relay");

        subscriber.publish("in/demo", "{\"temperature\": 25, \"id\": \"a\"}".getBytes(StandardCharsets.UTF_8), 1,
                false);
        subscriber.publish("in/demo", "{\"temperature\": 15, \"id\": \"b\"}".getBytes(StandardCharsets.UTF_8), 1,
                false);
        subscriber.publish("in/demo", "{\"temperature\": 30, \"id\": \"c\"}".getBytes(StandardCharsets.UTF_8), 1,
                false);
        RuleEngineTest.await(() -> received.size() == 2);
        assertEquals(List.of("out/relay {\"temperature\":25,\"device\":\"a\"}",
                "out/relay {\"temperature\":30,\"device\":\"c\"}"), received);
        // every probe that reached the source passed the WHERE and came out
        RuleEngineTest.await(() -> Long.valueOf(probes.size() + 3L).equals(
                engine.status("relay").get("source_demo_0_records_in_total")));
        // the source and the sink each hold a reference
        assertEquals(List.of("relay", "relay"), pool.get("conn1").orElseThrow().status().refs());
        engine.deleteRule("relay");
        assertEquals(List.of(), pool.get("conn1").orElseThrow().status().refs());
    }

    @Test
    void everyRuleReceivesExactlyItsOwnTopicInOrderOverOneSharedConnection() throws Exception {
        writeMqttConf("shared_conf:\n  connectionSelector: conn1\n  qos: 1\n");
        pool.create("conn1", "mqtt", Map.of("server", broker.tcpUrl()));
        engine.createStream("CREATE STREAM stream1 () WITH (TYPE=\"mqtt\", DATASOURCE=\"shared_e2e/shared\", "
                + "CONF_KEY=\"shared_conf\", SHARED=\"true\")");
        engine.createStream("CREATE STREAM stream2 () WITH (TYPE=\"mqtt\", DATASOURCE=\"shared_e2e/stream2\", "
                + "CONF_KEY=\"shared_conf\")");
        engine.createStream("CREATE STREAM stream3 () WITH (TYPE=\"mqtt\", DATASOURCE=\"shared_e2e/stream3\", "
                + "CONF_KEY=\"shared_conf\", SHARED=\"true\")");
        Map<String, String> topicOfStream = Map.of("stream1", "shared_e2e/shared", "stream2", "shared_e2e/stream2",
                "stream3", "shared_e2e/stream3");
        Map<String, String> streamOfRule = Map.of("r1", "stream1", "r2", "stream1", "r3", "stream2",
                "r4", "stream3", "r5", "stream3");
        streamOfRule.forEach((rule, stream) -> engine.createRule(new RuleDefinition(rule, "SELECT * FROM " + stream,
                List.of(new Action("mqtt", Map.of("connectionSelector", "conn1", "topic", "out/" + rule, "qos", 1,
                        "sendSingle", true))), true)));
        awaitSubscribed("shared_e2e/shared", "{\"probe\":true}", "out/r1", "out/r2");
        awaitSubscribed("shared_e2e/stream2", "{\"probe\":true}", "out/r3");
        awaitSubscribed("shared_e2e/stream3", "{\"probe\":true}", "out/r4", "out/r5");

        for (int i = 0; i < 100; i++) {
            for (String topic : topicOfStream.values()) {
                subscriber.publish(topic, ("{\"seq\":" + i + ",\"from\":\"" + topic + "\"}")
                        .getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        RuleEngineTest.await(() -> received.size() == 500);
        for (String rule : streamOfRule.keySet()) {
            String topic = topicOfStream.get(streamOfRule.get(rule));
            List<String> expected = java.util.stream.IntStream.range(0, 100)
                    .mapToObj(i -> "out/" + rule + " {\"seq\":" + i + ",\"from\":\"" + topic + "\"}").toList();
            assertEquals(expected, received.stream().filter(m -> m.startsWith("out/" + rule + " ")).toList());
        }
    }

    @Test
    void rulesOnOneStreamKeepReceivingWhateverOrderTheyAreRestartedIn() throws Exception {
        twoRulesRelaying("stale", "stale/in");
        int[] step = {0};
        Runnable bothReceive = () -> {
            try {
                int n = step[0]++;
                String message = "{\"step\":" + n + "}";
                long deadline = System.currentTimeMillis() + 10_000;
                // a subscription made just now may not be on the broker yet: publish again until both got it
                while (!(received.contains("out/rule1 " + message) && received.contains("out/rule2 " + message))) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError("step " + n + ": both rules should receive; got " + received);
                    }
                    subscriber.publish("stale/in", message.getBytes(StandardCharsets.UTF_8), 1, false);
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        bothReceive.run();
        engine.restart("rule1");
        bothReceive.run();
        engine.restart("rule2");
        bothReceive.run();
        engine.restart("rule1");
        engine.restart("rule2");
        bothReceive.run();
        for (int i = 0; i < 5; i++) {
            engine.restart("rule1");
            engine.restart("rule2");
        }
        bothReceive.run();
        engine.stop("rule1");
        engine.stop("rule2");
        engine.start("rule2");
        Thread.sleep(100);
        engine.start("rule1");
        bothReceive.run();
    }

    @Test
    void aReferencedConnectionIsUpdatedLiveButNotDeletedOrRetypedUntilItsRulesStop() throws Exception {
        twoRulesRelaying("moved", "moved/in");
        awaitSubscribed("moved/in", "{\"probe\":1}", "out/rule1", "out/rule2");

        ConnectionPoolException deleteRefused = assertThrows(ConnectionPoolException.class,
                () -> pool.delete("conn1"));
        assertEquals(ConnectionPoolException.Reason.CONFLICT, deleteRefused.reason());
        assertEquals("connection conn1 can't be dropped due to rule references [rule1 rule2]",
                deleteRefused.getMessage());
        ConnectionPoolException retypeRefused = assertThrows(ConnectionPoolException.class,
                () -> pool.update("conn1", "sql", Map.of("url", "sqlite:/tmp/x.db")));
        assertEquals(ConnectionPoolException.Reason.CONFLICT, retypeRefused.reason());

        try (Mosquitto other = Mosquitto.start(directory.resolve("other-broker"))) {
            MqttClient otherSide = new MqttClient(other.tcpUrl(), "e2e-other", new MemoryPersistence());
            otherSide.connect();
            otherSide.subscribe("out/#", 1, (topic, message) -> probes.add(topic + " "
                    + new String(message.getPayload(), StandardCharsets.UTF_8)));
            probes.clear();
            pool.update("conn1", "mqtt", Map.of("server", other.tcpUrl()));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!(probes.stream().anyMatch(m -> m.startsWith("out/rule1 "))
                    && probes.stream().anyMatch(m -> m.startsWith("out/rule2 ")))) {
                assertTrue(System.currentTimeMillis() < deadline, "both rules work over the new broker: " + probes);
                otherSide.publish("moved/in", "{\"probe\":2}".getBytes(StandardCharsets.UTF_8), 1, false);
                Thread.sleep(50);
            }
            assertEquals("running", engine.status("rule1").get("status"));
            otherSide.disconnect();
            otherSide.close();
        }

        engine.stop("rule1");
        engine.stop("rule2");
        pool.delete("conn1");
        assertTrue(pool.get("conn1").isEmpty());
    }

    @Test
    void aSelectorNamingAMissingConnectionFailsTheStart() {
        engine.createRule(new RuleDefinition("r1", "SELECT * FROM sim", List.of(new Action("mqtt",
                Map.of("connectionSelector", "nope", "topic", "out/x"))), true));
        Object status = engine.status("r1").get("status");
        assertEquals("stopped: connection nope not existed", status);
    }

    private void writeMqttConf(String yaml) throws IOException {
        Files.createDirectories(directory.resolve("etc/sources"));
        Files.writeString(directory.resolve("etc/sources/mqtt.yaml"), yaml);
    }

    /** Named conn1, stream {@code stream} of {@code topic} over it, rule1 and rule2 relaying it to out/&lt;rule&gt;. */
    private void twoRulesRelaying(String stream, String topic) throws IOException {
        writeMqttConf("conf:\n  connectionSelector: conn1\n");
        pool.create("conn1", "mqtt", Map.of("server", broker.tcpUrl()));
        engine.createStream("CREATE STREAM " + stream + " () WITH (TYPE=\"mqtt\", DATASOURCE=\"" + topic + "\", "
                + "CONF_KEY=\"conf\")");
        for (String rule : List.of("rule1", "rule2")) {
            engine.createRule(new RuleDefinition(rule, "SELECT * FROM " + stream, List.of(new Action("mqtt",
                    Map.of("connectionSelector", "conn1", "topic", "out/" + rule, "sendSingle", true))), true));
        }
    }

    /** Publishes {@code probe} to {@code topic} until it comes out on every one of {@code outputs}. */
    private void awaitSubscribed(String topic, String probe, String... outputs) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Arrays.stream(outputs).allMatch(out -> probes.stream().anyMatch(m -> m.startsWith(out + " ")))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no probe on " + List.of(outputs) + "; got " + probes);
            }
            subscriber.publish(topic, probe.getBytes(StandardCharsets.UTF_8), 1, false);
            Thread.sleep(50);
        }
    }
}
