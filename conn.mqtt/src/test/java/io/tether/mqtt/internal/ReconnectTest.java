package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.lib.mqtt.PublishFailedException;
import io.tether.testkit.Poll;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TcpProxy;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;

/**
 * SPEC §2, §3: status from the client's own callbacks, reconnection on the pool's backoff, and subscriptions restored
 * before {@code connected}, so that no consumer is ever connected but deaf.
 */
class ReconnectTest {
    @TempDir
    Path dir;
    private MqttPool pools;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() {
        pools = new MqttPool(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        pools.close();
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    @Test
    void aBrokerBackAfterOneSecondIsReconnectedWithEverySubscription() throws Exception {
        survivesAnOutageOf(Duration.ofSeconds(1));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CI", matches = "true")
    void aBrokerBackAfterThirtySecondsIsReconnectedWithEverySubscription() throws Exception {
        survivesAnOutageOf(Duration.ofSeconds(30));
    }

    private void survivesAnOutageOf(Duration outage) throws Exception {
        Mosquitto broker = closeLater(Mosquitto.start(dir.resolve("broker")));
        pools.pool.create("m", "mqtt", Map.of("server", broker.tcpUrl(), "keepAlive", 2));
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "m");
        RecordingSourceContext first = closeLater(pools.source("rule1", "plant/+/temp", selector));
        RecordingSourceContext second = closeLater(pools.source("rule2", "plant/#", selector));
        try (TestClient device = new TestClient(broker.tcpUrl())) {
            Probes.awaitReceiving(device, "plant/1/temp", first, second);
        }

        broker.stop();
        Poll.until("not connected within the keep-alive", Duration.ofSeconds(2),
                () -> status("m").status() != Status.CONNECTED);
        assertTrue(status("m").err() != null, status("m").toString());
        Thread.sleep(outage.toMillis()); // the outage itself
        assertNotEquals(Status.CONNECTED, status("m").status());
        broker.start();
        pools.awaitStatus("m", Status.CONNECTED);

        try (TestClient device = new TestClient(broker.tcpUrl())) {
            device.publish("plant/7/temp", "after the outage", 1);
        }
        assertEquals("after the outage", first.next(Poll.PATIENCE));
        assertEquals("after the outage", second.next(Poll.PATIENCE));
        List<Status> seen = new ArrayList<>();
        for (ConnectionStatus status : first.statuses) {
            if (seen.isEmpty() ? status.status() == Status.CONNECTED : seen.get(seen.size() - 1) != status.status()) {
                seen.add(status.status());
            }
        }
        assertEquals(List.of(Status.CONNECTED, Status.DISCONNECTED, Status.CONNECTING, Status.CONNECTED), seen);
    }

    @Test
    void aSilentLinkLossIsNoticedWithinOneAndAHalfKeepAlives() throws Exception {
        Mosquitto broker = closeLater(Mosquitto.start(dir.resolve("broker")));
        TcpProxy proxy = closeLater(new TcpProxy(broker.port()));
        pools.pool.create("m", "mqtt", Map.of("server", proxy.tcpUrl(), "keepAlive", 1));
        pools.awaitStatus("m", Status.CONNECTED);

        proxy.freeze();
        long frozen = System.nanoTime();
        Poll.until("the silent loss is noticed", Duration.ofSeconds(5),
                () -> status("m").status() != Status.CONNECTED);
        long noticedMillis = (System.nanoTime() - frozen) / 1_000_000;
        // 1.5 × keepAlive, plus scheduling slack for a busy machine
        assertTrue(noticedMillis <= 1500 + 250, "noticed after " + noticedMillis + " ms");

        proxy.restore();
        pools.awaitStatus("m", Status.CONNECTED);
    }

    @Test
    void aPersistentSessionGetsTheMessagesPublishedWhileItWasCutOff() throws Exception {
        Mosquitto broker = closeLater(Mosquitto.start(dir.resolve("broker")));
        TcpProxy proxy = closeLater(new TcpProxy(broker.port()));
        pools.pool.create("m", "mqtt", Map.of("server", proxy.tcpUrl(), "clientid", "tether-persistent",
                "enableClientSession", true));
        RecordingSourceContext node = closeLater(pools.source("rule1", "persist/1",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "m", "qos", 1)));
        TestClient device = closeLater(new TestClient(broker.tcpUrl()));
        Probes.awaitReceiving(device, "persist/1", node);

        proxy.cut();
        Poll.until("the cut is noticed", () -> status("m").status() != Status.CONNECTED);
        for (int i = 0; i < 5; i++) {
            device.publish("persist/1", "while cut off " + i, 1);
        }
        proxy.restore();
        pools.awaitStatus("m", Status.CONNECTED);
        List<String> received = new ArrayList<>();
        Poll.until("the 5 messages arrive", () -> {
            received.addAll(node.drain());
            return received.size() >= 5;
        }, () -> received);
        assertEquals(List.of("while cut off 0", "while cut off 1", "while cut off 2", "while cut off 3",
                "while cut off 4"), received);
    }

    @Test
    void aConnectionThatNeverConnectedIsDisconnectedWithTheReasonUntilTheBrokerComes() throws Exception {
        Mosquitto broker = closeLater(Mosquitto.prepare(dir.resolve("broker")));
        pools.pool.create("m", "mqtt", Map.of("server", broker.tcpUrl()));
        // between dials (a dial in flight is connecting)
        Poll.until("the failed dial is reported", () -> status("m").status() == Status.DISCONNECTED
                && status("m").err() != null);
        String err = status("m").err();
        assertTrue(err.contains("Unable to connect to server") && err.contains("Connection refused"), err);

        broker.start();
        ConnectionInfo connected = pools.awaitStatus("m", Status.CONNECTED);
        assertEquals(null, connected.status().err());
    }

    @Test
    void publishingWhileDisconnectedFailsAtOnceIsCountedAndTheSinkGoesOn() throws Exception {
        Mosquitto broker = closeLater(Mosquitto.start(dir.resolve("broker")));
        pools.pool.create("m", "mqtt", Map.of("server", broker.tcpUrl()));
        RecordingSinkContext node = closeLater(pools.sink("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "m",
                "topic", "out/1")));
        MqttSink sink = (MqttSink) node.sink();
        pools.awaitStatus("m", Status.CONNECTED);

        broker.stop();
        Poll.until("the loss is noticed", () -> status("m").status() != Status.CONNECTED);
        long start = System.nanoTime();
        PublishFailedException failed = assertThrows(PublishFailedException.class,
                () -> sink.collect(List.of(Map.of("n", 1), Map.of("n", 2))));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("mqtt client is not connected", failed.getMessage());
        assertEquals(2, sink.failedMessages());
        assertTrue(tookMillis < 1000, "failing took " + tookMillis + " ms");

        broker.start();
        pools.awaitStatus("m", Status.CONNECTED);
        RecordingSourceContext received = closeLater(pools.source("rule2", "out/1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "m")));
        Poll.until("the sink publishes again", () -> {
            try {
                sink.collect(List.of(Map.of("n", 3)));
            } catch (PublishFailedException e) {
                throw new AssertionError(e);
            }
            return !received.messages.isEmpty();
        });
        assertEquals(2, sink.failedMessages());
    }

    @Test
    void aQueuedMessageLostWithTheLinkIsCountedAndReportedToTheRuleLayer() throws Exception {
        Mosquitto broker = closeLater(Mosquitto.start(dir.resolve("broker")));
        TcpProxy proxy = closeLater(new TcpProxy(broker.port()));
        pools.pool.create("m", "mqtt", Map.of("server", proxy.tcpUrl()));
        RecordingSinkContext node = closeLater(pools.sink("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "m",
                "topic", "out/1", "qos", 1)));
        MqttSink sink = (MqttSink) node.sink();
        pools.awaitStatus("m", Status.CONNECTED);

        proxy.freeze();
        sink.collect(List.of(Map.of("n", 1)));
        proxy.cut();
        Poll.until("the message given up is reported", () -> !node.errors.isEmpty());
        assertEquals(1, sink.failedMessages());
        proxy.restore();
        pools.awaitStatus("m", Status.CONNECTED);
    }

    private ConnectionStatus status(String id) {
        return pools.pool.get(id).orElseThrow().status();
    }
}
