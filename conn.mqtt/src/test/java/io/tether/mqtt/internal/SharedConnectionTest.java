package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.Status;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.testkit.Poll;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingContext;
import io.tether.testkit.RecordingSinkContext;

/** SPEC §7: many sources and sinks on one connection, each filter subscribed once, every match delivered once. */
class SharedConnectionTest {
    private static final Duration SHORT = Duration.ofMillis(500);

    @TempDir
    Path dir;
    private Mosquitto broker;
    private MqttPool pools;
    private TestClient device;
    private final List<RecordingContext> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // QoS 1 messages are acknowledged once handed on: the broker's queue for a busy connection must not be capped
        broker = Mosquitto.start(dir.resolve("broker"), "max_queued_messages 0");
        pools = new MqttPool(dir.resolve("data"));
        device = new TestClient(broker.tcpUrl());
        pools.pool.create("shared", "mqtt", Map.of("server", broker.tcpUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(RecordingContext::close);
        device.close();
        pools.close();
        broker.close();
    }

    private RecordingSourceContext source(String rule, String filter) throws Exception {
        RecordingSourceContext node = pools.source(rule, filter, Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared"));
        nodes.add(node);
        return node;
    }

    @Test
    void aNamedConnectionConnectsAndTwoSubscribersOfOneTopicBothReceive() throws Exception {
        ConnectionInfo info = pools.awaitStatus("shared", Status.CONNECTED);
        assertNull(info.status().err());
        RecordingSourceContext first = source("rule1", "sensors/1");
        RecordingSourceContext second = source("rule2", "sensors/1");
        Probes.awaitReceiving(device, "sensors/1", first, second);

        device.publish("sensors/1", "{\"t\":21}", 1);
        assertEquals("{\"t\":21}", first.next(Poll.PATIENCE));
        assertEquals("{\"t\":21}", second.next(Poll.PATIENCE));
        assertEquals(Map.of("sensors/1", 1), pools.wireFilters("shared"));
        assertEquals(List.of("rule1", "rule2"), pools.pool.get("shared").orElseThrow().status().refs());
    }

    @Test
    void theMessageCarriesItsMetadata() throws Exception {
        RecordingSourceContext node = source("rule1", "meta/+");
        Probes.awaitReceiving(device, "meta/x", node);
        device.publish("meta/y", "m", 1);
        Poll.until("the message arrives", () -> !node.messages.isEmpty());
        Map<String, Object> meta = node.messages.poll().meta();
        assertEquals("meta/y", meta.get("topic"));
        assertEquals(1, meta.get("qos"));
        assertTrue((Integer) meta.get("messageId") > 0, meta.toString());
    }

    @Test
    void wildcardsAreRoutedToEveryMatchingFilterOnce() throws Exception {
        RecordingSourceContext plus = source("rule1", "a/+");
        RecordingSourceContext hash = source("rule2", "a/#");
        RecordingSourceContext exact = source("rule3", "a/b");
        Probes.awaitReceiving(device, "a/b", plus, hash, exact);
        // one wire subscription covers all three: a broker never sends a message twice to the connection
        assertEquals(Map.of("a/#", 1), pools.wireFilters("shared"));

        device.publish("a/b", "1", 1);
        device.publish("a/b/c", "2", 1);
        device.publish("a", "3", 1);
        device.publish("a/end", "end", 1);
        Poll.until("the end marker reaches the a/+ and a/# sources",
                () -> plus.messages.stream().anyMatch(m -> text(m.payload()).equals("end"))
                        && hash.messages.stream().anyMatch(m -> text(m.payload()).equals("end")));
        assertEquals(List.of("1", "end"), plus.drain());
        assertEquals(List.of("1", "2", "3", "end"), hash.drain());
        assertEquals(List.of("1"), exact.drain());
    }

    @Test
    void theLastSubscriberLeavingUnsubscribesTheFilter() throws Exception {
        RecordingSourceContext first = source("rule1", "gone/topic");
        RecordingSourceContext second = source("rule2", "gone/topic");
        Probes.awaitReceiving(device, "gone/topic", first, second);
        AtomicReference<String> subscriptions = new AtomicReference<>("");
        device.paho().subscribe("$SYS/broker/subscriptions/count", 0,
                (topic, message) -> subscriptions.set(text(message.getPayload())));
        // the connection's one filter and the reader's own $SYS subscription
        Poll.until("the broker counts 2 subscriptions", () -> subscriptions.get().equals("2"), subscriptions::get);

        first.close();
        device.publish("gone/topic", "still", 1);
        assertEquals("still", second.next(Poll.PATIENCE));

        second.close();
        Poll.until("the broker counts 1 subscription", () -> subscriptions.get().equals("1"), subscriptions::get);
        assertEquals(Map.of(), pools.wireFilters("shared"));
    }

    @Test
    void aSinkPublishesEachEncodedRecordThroughTheSharedConnection() throws Exception {
        RecordingSourceContext received = source("rule1", "out/#");
        Probes.awaitReceiving(device, "out/probe", received);
        RecordingSinkContext sink = pools.sink("rule2", Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared",
                "topic", "out/data",
                "qos", 1, "retained", false));
        nodes.add(sink);
        sink.sink().collect(List.of(Map.of("a", 1), Map.of("a", 2)));
        assertEquals("{\"a\":1}", received.next(Poll.PATIENCE));
        assertEquals("{\"a\":2}", received.next(Poll.PATIENCE));
        assertEquals(0, ((MqttSink) sink.sink()).failedMessages());
    }

    @Test
    void aRuleRelayingAtQos1ThroughItsOwnConnectionNeverStallsOnAFullInFlightWindow() throws Exception {
        pools.pool.create("relay", "mqtt", Map.of("server", broker.tcpUrl(), "maxInflight", 10));
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "relay");
        RecordingSinkContext sink = pools.sink("relay-rule", Map.of(ConnectionPool.CONNECTION_SELECTOR, "relay",
                "topic", "relay/out", "qos", 1));
        nodes.add(sink);
        RecordingSourceContext relay = new RecordingSourceContext(pools.pool, "relay-rule", "source_in") {
            @Override
            public void emit(RawMessage message) {
                try {
                    sink.sink().collect(List.of(Map.of("in", text(message.payload()))));
                } catch (Exception e) {
                    reportError(e);
                }
            }
        };
        nodes.add(relay);
        Source source = pools.sources.create("relay/in", Map.of(ConnectionPool.CONNECTION_SELECTOR, "relay"));
        source.open(relay);
        relay.closeWith(source::close);
        RecordingSourceContext out = source("reader", "relay/out");
        Probes.awaitReceiving(device, "relay/in", out);

        for (int i = 0; i < 2000; i++) {
            device.publish("relay/in", Integer.toString(i), 1);
        }
        List<String> relayed = new ArrayList<>();
        Poll.until("2000 messages are relayed", Duration.ofSeconds(30), () -> {
            relayed.addAll(out.drain());
            return relayed.size() >= 2000;
        }, relayed::size);
        assertEquals(List.of(), relay.errors);
        assertEquals("{\"in\":\"1999\"}", relayed.get(relayed.size() - 1));
    }

    @Test
    void anUpdateRestoresTheSubscriptionsBeforeTheNewInstanceReportsConnected() throws Exception {
        RecordingSourceContext node = source("rule1", "upd/1");
        Probes.awaitReceiving(device, "upd/1", node);
        try (ConnectionHandle handle = pools.pool.attach("probe", "probe", "mqtt",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared"), (id, status) -> { })) {
            MqttConnection before = handle.as(MqttConnection.class);
            pools.pool.update("shared", "mqtt", Map.of("server", broker.tcpUrl(), "keepAlive", 5));
            Poll.until("the update made a new connected instance", () -> handle.status().status() == Status.CONNECTED
                    && currentInstance(handle) != before);
        }
        device.publish("upd/1", "after update", 1);
        assertEquals("after update", node.next(Poll.PATIENCE));
        assertTrue(node.statuses.stream().anyMatch(s -> s.status() == Status.CONNECTING), node.statuses.toString());
    }

    @Test
    void anonymousConnectionsAreKeyedByRuleOperatorAndTopic() throws Exception {
        Map<String, Object> props = Map.of("server", broker.tcpUrl());
        RecordingSourceContext one = pools.source("ruleA", "anon/1", props);
        RecordingSourceContext two = pools.source("ruleB", "anon/1", props);
        nodes.add(one);
        nodes.add(two);
        Probes.awaitReceiving(device, "anon/1", one, two);
        List<ConnectionInfo> anonymous = pools.pool.list(true).stream().filter(info -> !info.named()).toList();
        assertEquals(2, anonymous.size(), anonymous.toString());
        assertNotEquals(anonymous.get(0).id(), anonymous.get(1).id());

        one.close();
        two.close();
        Poll.until("anonymous connections go with their last reference",
                () -> pools.pool.list(true).stream().allMatch(ConnectionInfo::named));
    }

    @Test
    void messagesOfTopicsNobodySubscribedAreNotDelivered() throws Exception {
        RecordingSourceContext node = source("rule1", "only/this");
        Probes.awaitReceiving(device, "only/this", node);
        device.publish("only/that", "no", 1);
        device.publish("only/this", "yes", 1);
        assertEquals("yes", node.next(Poll.PATIENCE));
        assertNull(node.next(SHORT));
    }

    private static MqttConnection currentInstance(ConnectionHandle handle) {
        try {
            return handle.as(MqttConnection.class);
        } catch (ConnectionPoolException notYet) {
            return null;
        }
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
