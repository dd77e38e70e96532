package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.testkit.Poll;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TcpProxy;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;

/**
 * SPEC §7, "nothing accepted is lost": a QoS 1 message is acknowledged only once every rule it goes to took it, so a
 * slow rule throttles the broker instead of losing messages, Paho's threads never wait (sinks on the connection keep
 * getting their PUBACKs, the link outlives keepAlive), and a connection closed, updated or cut loses nothing that a
 * persistent session's broker does not send again.
 */
class AcknowledgementTest {
    @TempDir
    Path dir;
    private Mosquitto broker;
    private MqttPool pools;
    private TestClient device;
    private MqttAsyncClient publisher;
    private final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // no queue cap: beyond max_queued_messages (default 1000) Mosquitto drops QoS 1 messages for a slow client
        broker = Mosquitto.start(dir.resolve("broker"), "max_queued_messages 0");
        pools = new MqttPool(dir.resolve("data"));
        device = new TestClient(broker.tcpUrl());
        publisher = BareMqtt.connect(broker.tcpUrl());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        publisher.disconnect().waitForCompletion();
        publisher.close();
        device.close();
        pools.close();
        broker.close();
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closers.add(closeable);
        return closeable;
    }

    private void publish(String topic, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            BareMqtt.publish(publisher, topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1);
        }
    }

    @ParameterizedTest(name = "MQTT {0}, {1} messages")
    @CsvSource({ "3.1.1, 50000, 20", "5, 50000, 10" })
    void aSlowRuleGetsEveryQos1MessageOfABurstInOrderWhileASinkOnTheConnectionKeepsGettingAcks(String version,
            int messages, int window) throws Exception {
        pools.pool.create("shared", "mqtt", Map.of("server", broker.tcpUrl(), "keepAlive", 1,
                "protocolVersion", version, "receiveMaximum", window));
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared");
        RecordingSourceContext slow = closeLater(pools.source("slow", "burst/in", selector, 100));
        RecordingSinkContext sink = closeLater(pools.sink("relay", Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared",
                "topic", "burst/out", "qos", 1)));
        Probes.awaitReceiving(device, "burst/in", slow);
        ConnectionHandle handle = closeLater(pools.pool.attach("probe", "probe", "mqtt", selector, (id, s) -> { }));

        publish("burst/in", 0, messages);
        Poll.until("the rule's buffer is full", () -> slow.messages.remainingCapacity() == 0);
        // the rule takes nothing for more than twice keepAlive: the sink's publishes still complete, the link stays
        long stalledUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        int emissions = 0;
        int largestBacklog = handle.as(MqttConnection.class).dispatchBacklog();
        while (System.nanoTime() - stalledUntil < 0) {
            CompletionStage<Void> sent = sink.sink().send(List.of(Map.of("n", emissions++)));
            sent.toCompletableFuture().get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            largestBacklog = Math.max(largestBacklog, handle.as(MqttConnection.class).dispatchBacklog());
            Thread.sleep(20);
        }
        // the broker stopped sending: Mosquitto 2.0 overshoots its in-flight limit in bursts, but not by a burst
        int stalledBacklog = handle.as(MqttConnection.class).dispatchBacklog();
        assertEquals(largestBacklog, stalledBacklog, "the backlog stopped growing while the rule took nothing");
        assertTrue(stalledBacklog < messages / 20, "messages waiting in the connection: " + stalledBacklog);
        assertEquals(0, pools.pool.get("shared").orElseThrow().status().lastDisconnected());

        for (int i = 0; i < messages; i++) {
            RawMessage message = slow.messages.poll(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(message != null, "message " + i + " arrived");
            assertEquals(Integer.toString(i), new String(message.payload(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(), slow.errors);
        assertEquals(List.of(), sink.errors);
        assertEquals(0, pools.pool.get("shared").orElseThrow().status().lastDisconnected());
    }

    @Test
    void updatingAPersistentSessionsConnectionMidBurstLosesNothing() throws Exception {
        Map<String, Object> props = Map.of("server", broker.tcpUrl(), "clientid", "durable-update",
                "enableClientSession", true);
        pools.pool.create("durable", "mqtt", props);
        RecordingSourceContext node = closeLater(pools.source("rule1", "durable/in",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "durable"), 50));
        Probes.awaitReceiving(device, "durable/in", node);

        publish("durable/in", 0, 2000);
        Poll.until("the rule's buffer is full", () -> node.messages.remainingCapacity() == 0);
        Map<String, Object> updated = new HashMap<>(props);
        updated.put("keepAlive", 7);
        pools.pool.update("durable", "mqtt", updated);

        int duplicates = receiveAll(node, 2000);
        System.out.println("update mid-burst: " + duplicates + " duplicates");
    }

    /**
     * A persistent session's broker sends the messages it queued as soon as the connection is up, before a rule of a
     * runtime that is starting (or of a connector bundle just updated) has subscribed again: they wait for it instead
     * of being acknowledged to nobody.
     */
    @Test
    void messagesQueuedForAPersistentSessionWaitForTheRuleThatSubscribesAfterTheConnectionIsUp() throws Exception {
        MqttAsyncClient earlier = new MqttAsyncClient(broker.tcpUrl(), "durable-late", new MemoryPersistence());
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        earlier.connect(persistent).waitForCompletion();
        earlier.subscribe("late/in", 1).waitForCompletion();
        earlier.disconnect().waitForCompletion();
        earlier.close();
        publish("late/in", 0, 500);

        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "late");
        pools.pool.create("late", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "durable-late",
                "enableClientSession", true));
        ConnectionHandle handle = closeLater(pools.pool.attach("probe", "probe", "mqtt", selector, (id, s) -> { }));
        pools.awaitStatus("late", Status.CONNECTED);
        Poll.until("the broker sends what it queued before any rule subscribed",
                () -> handle.as(MqttConnection.class).dispatchBacklog() > 0);

        RecordingSourceContext node = closeLater(pools.source("rule1", "late/in", selector));
        int duplicates = receiveAll(node, 500);
        assertEquals(0, duplicates);
    }

    @Test
    void aLinkCutMidBurstLosesNothingOnAPersistentSession() throws Exception {
        TcpProxy proxy = closeLater(new TcpProxy(broker.port()));
        pools.pool.create("durable", "mqtt", Map.of("server", proxy.tcpUrl(), "clientid", "durable-cut",
                "enableClientSession", true));
        RecordingSourceContext node = closeLater(pools.source("rule1", "cut/in",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "durable"), 50));
        Probes.awaitReceiving(device, "cut/in", node);

        publish("cut/in", 0, 2000);
        Poll.until("the rule's buffer is full", () -> node.messages.remainingCapacity() == 0);
        proxy.cut();
        Poll.until("the loss is noticed",
                () -> pools.pool.get("durable").orElseThrow().status().status() != Status.CONNECTED);
        proxy.restore();

        int duplicates = receiveAll(node, 2000);
        System.out.println("link cut mid-burst: " + duplicates + " duplicates");
    }

    /** Takes messages 0 … n-1 out of the node's buffer, in any order, and returns how many came twice. */
    private static int receiveAll(RecordingSourceContext node, int n) throws InterruptedException {
        BitSet seen = new BitSet(n);
        int duplicates = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.cardinality() < n) {
            RawMessage message = node.messages.poll(100, TimeUnit.MILLISECONDS);
            if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("only " + seen.cardinality() + " of " + n + " messages arrived; statuses: "
                        + node.statuses);
            }
            if (message != null) {
                String text = new String(message.payload(), StandardCharsets.UTF_8);
                if (text.startsWith("probe-")) {
                    continue;
                }
                int i = Integer.parseInt(text);
                if (seen.get(i)) {
                    duplicates++;
                }
                seen.set(i);
            }
        }
        return duplicates;
    }

    @Test
    void aRelayOnTheConnectionOfASlowSecondRuleNeitherDeadlocksNorLosesTheLink() throws Exception {
        pools.pool.create("relay", "mqtt", Map.of("server", broker.tcpUrl(), "keepAlive", 1, "maxInflight", 10));
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "relay");
        RecordingSinkContext sink = closeLater(pools.sink("relay-rule", Map.of(ConnectionPool.CONNECTION_SELECTOR, "relay",
                "topic", "relay/out", "qos", 1)));
        RecordingSourceContext relay = closeLater(new RecordingSourceContext(pools.pool, "relay-rule", "source_in") {
            @Override
            public void emit(RawMessage message) {
                try {
                    sink.sink().send(List.of(Map.of("in", new String(message.payload(), StandardCharsets.UTF_8))))
                            .whenComplete((done, failure) -> {
                                if (failure != null) {
                                    reportError(failure);
                                }
                            });
                } catch (RuntimeException e) {
                    reportError(e);
                }
            }
        });
        Source source = pools.sources.create("relay/in", selector);
        source.open(relay);
        relay.closeWith(source::close);
        RecordingSourceContext slow = closeLater(pools.source("slow-rule", "relay/in", selector, 10));
        RecordingSourceContext out = closeLater(pools.source("reader", "relay/out", selector));
        Probes.awaitReceiving(device, "relay/in", out, slow);

        publish("relay/in", 0, 2000);
        Poll.until("the slow rule's buffer is full", () -> slow.messages.remainingCapacity() == 0);
        long stalledUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        Poll.until("more than twice keepAlive passes", () -> System.nanoTime() - stalledUntil > 0);
        assertEquals(0, pools.pool.get("relay").orElseThrow().status().lastDisconnected());

        int duplicates = receiveAll(slow, 2000);
        assertEquals(0, duplicates);
        List<String> relayed = new ArrayList<>();
        Poll.until("2000 messages are relayed", Duration.ofSeconds(30), () -> {
            relayed.addAll(out.drain());
            return relayed.stream().filter(text -> !text.contains("probe-")).count() >= 2000;
        }, relayed::size);
        assertEquals(List.of(), relay.errors);
        assertEquals(0, pools.pool.get("relay").orElseThrow().status().lastDisconnected());
    }

    @Test
    void aQos0MessageWaitsBrieflyForItsRuleAndAQos1MessageUntilTheRuleTakesIt() throws Exception {
        pools.pool.create("shared", "mqtt", Map.of("server", broker.tcpUrl()));
        RecordingSourceContext atMostOnce = closeLater(pools.source("rule0", "waits/0",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared", "qos", 0)));
        RecordingSourceContext atLeastOnce = closeLater(pools.source("rule1", "waits/1",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "shared", "qos", 1)));
        Probes.awaitReceiving(device, "waits/0", atMostOnce);
        Probes.awaitReceiving(device, "waits/1", atLeastOnce);
        assertEquals(Set.of(MqttSource.QOS0_WAIT), atMostOnce.offerWaits);
        assertEquals(Set.of(MqttSource.UNTIL_ACCEPTED), atLeastOnce.offerWaits);
    }

    @Test
    void aSinksEmissionCompletesOnItsAcknowledgementAndFailsRetryablyWhenTheConnectionGoesFirst() throws Exception {
        TcpProxy proxy = closeLater(new TcpProxy(broker.port()));
        pools.pool.create("m", "mqtt", Map.of("server", proxy.tcpUrl()));
        RecordingSinkContext node = closeLater(pools.sink("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "m",
                "topic", "out/1", "qos", 1)));
        pools.awaitStatus("m", Status.CONNECTED);
        node.sink().send(List.of(Map.of("n", 1), Map.of("n", 2))).toCompletableFuture()
                .get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        proxy.freeze();
        CompletableFuture<Void> unacknowledged = node.sink().send(List.of(Map.of("n", 3))).toCompletableFuture();
        Thread.sleep(200);
        assertFalse(unacknowledged.isDone(), "no PUBACK came through the frozen link");
        // an update closes the instance whose client holds the publish; the frozen link keeps the next one from connecting
        pools.pool.update("m", "mqtt", Map.of("server", proxy.tcpUrl(), "keepAlive", 7));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> unacknowledged.get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        DeliveryException reason = assertInstanceOf(DeliveryException.class, failed.getCause());
        assertTrue(reason.isRetryable(), reason.toString());

        ExecutionException notConnected = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> node.sink().send(List.of(Map.of("n", 4))).toCompletableFuture().get());
        assertTrue(assertInstanceOf(DeliveryException.class, notConnected.getCause()).isRetryable());
        assertEquals(List.of(), node.errors, "outcomes are the rule layer's to count, not reported twice");
    }
}
