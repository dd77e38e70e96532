package io.tether.edgex.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * The bus goes away and comes back (a private broker or server the test kills and starts again on the same port):
 * the connection reconnects by itself and data flows again; and two rules on one named connection: one stopped, the
 * other still receives (a consumer's detach never closes the shared client).
 */
class BusRestartTest {
    @TempDir
    Path directory;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final EdgexSourceProvider sources = new EdgexSourceProvider();
    private TestPool pool;

    @BeforeEach
    void start() {
        pool = TestPool.create();
        closing.add(pool);
        pool.addType(EdgexConnectorFactory.TYPE, new EdgexConnectorFactory(sources),
                getClass().getResource("/" + EdgexConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private RecordingSourceContext rule(String rule) throws Exception {
        RecordingSourceContext context = new RecordingSourceContext(pool, rule, "source_edgex");
        closing.add(context);
        return context.open(sources.create("bus/events/#",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "bus", "messageType", "request")));
    }

    private void create(String type, int port, Map<String, Object> optional) {
        Map<String, Object> props = new HashMap<>();
        props.put("type", type);
        props.put("host", "127.0.0.1");
        props.put("port", port);
        props.put("optional", optional);
        pool.create("bus", EdgexConnectorFactory.TYPE, props);
        pool.awaitStatus("bus", Status.CONNECTED);
    }

    /** Publishes marked events until the rule has one of them. */
    private static void awaitFlow(RecordingSourceContext rule, Publisher device, String marker) {
        Poll.until(rule.ruleId() + " receives " + marker, () -> {
            try {
                device.publish(marker);
            } catch (Exception e) {
                return false;
            }
            return rule.values("marker").contains(marker);
        }, () -> rule.records);
    }

    @FunctionalInterface
    private interface Publisher {
        void publish(String marker) throws Exception;
    }

    @Test
    void aRestartedMosquittoIsReconnectedAndDataFlowsAgain() throws Exception {
        Mosquitto broker = Mosquitto.start(directory.resolve("mosquitto"));
        closing.add(broker);
        create("mqtt", broker.port(), Map.of("Qos", "1", "KeepAlive", "2"));
        RecordingSourceContext rule = rule("rule1");
        awaitFlow(rule, mqttDevice(broker), "before");

        broker.stop();
        Poll.until("the loss is noticed", () -> pool.info("bus").status().status() != Status.CONNECTED);
        broker.start();
        pool.awaitStatus("bus", Status.CONNECTED);
        awaitFlow(rule, mqttDevice(broker), "after");
    }

    @Test
    void aKilledNatsServerIsReconnectedAndDataFlowsAgain() throws Exception {
        NatsServer server = NatsServer.start(directory.resolve("nats"));
        closing.add(server);
        create("nats-jetstream", server.port(), Map.of("AutoProvision", "true", "KeepAlive", "2"));
        RecordingSourceContext rule = rule("rule1");
        Device before = new Device(server.port());
        awaitFlow(rule, marker -> before.publishHeaders("bus/events/dev", Device.addEventRequest(marker, 1)), "before");
        before.nats.close();

        server.kill();
        Poll.until("the loss is noticed", () -> pool.info("bus").status().status() != Status.CONNECTED);
        server.start();
        pool.awaitStatus("bus", Status.CONNECTED);
        Device after = new Device(server.port());
        closing.add(after);
        awaitFlow(rule, marker -> after.publishHeaders("bus/events/dev", Device.addEventRequest(marker, 1)), "after");
    }

    @Test
    void twoRulesOnOneMqttConnectionOneStoppedTheOtherStillReceives() throws Exception {
        Mosquitto broker = Mosquitto.start(directory.resolve("mosquitto"));
        closing.add(broker);
        create("mqtt", broker.port(), Map.of("Qos", "1"));
        twoRulesOneStopped(mqttDevice(broker));
    }

    @Test
    void twoRulesOnOneNatsConnectionOneStoppedTheOtherStillReceives() throws Exception {
        NatsServer server = NatsServer.start(directory.resolve("nats"));
        closing.add(server);
        create("nats-core", server.port(), Map.of());
        Device device = new Device(server.port());
        closing.add(device);
        twoRulesOneStopped(marker -> device.publishHeaders("bus/events/dev", Device.addEventRequest(marker, 1)));
    }

    private void twoRulesOneStopped(Publisher device) throws Exception {
        RecordingSourceContext first = rule("rule1");
        RecordingSourceContext second = rule("rule2");
        awaitFlow(first, device, "both");
        awaitFlow(second, device, "both");

        first.close();
        awaitFlow(second, device, "one");
        Poll.until("the connection stays connected with the other rule",
                () -> pool.info("bus").status().status() == Status.CONNECTED
                        && pool.info("bus").status().refs().equals(List.of("rule2")),
                () -> pool.info("bus").status());
    }

    private Publisher mqttDevice(Mosquitto broker) throws Exception {
        MqttAsyncClient client = BareMqtt.connect(broker.tcpUrl());
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(1000);
            }
            client.close();
        });
        return marker -> BareMqtt.publish(client, "bus/events/dev",
                MqttConnectorContractTest.envelope(Device.addEventRequest(marker, 1)), 1);
    }
}
