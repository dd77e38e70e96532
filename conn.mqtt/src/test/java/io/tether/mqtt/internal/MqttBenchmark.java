package io.tether.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.testkit.Poll;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;

/**
 * Issue 3's benchmark, not part of the build's tests: {@code mvn -pl conn.mqtt exec:java} (conn.mqtt/README.md).
 * <ul>
 * <li>relay: a publisher sends N 100-byte JSON messages to {@code in}; Tether's source on a shared named connection
 * hands each to a JSON decode + encode step (the rule layer's part, played here) and on to its sink to {@code out};
 * a counting subscriber on {@code out}. The baseline is a bare Paho client doing the same with Jackson.</li>
 * <li>reconnect: time from a broker restart to {@code connected} with the subscriptions restored, 10 restarts.</li>
 * </ul>
 * One private Mosquitto with {@code max_queued_messages 0} and {@code max_inflight_messages 0} (no caps), so that the
 * broker does not drop messages under load. Prints figures; asserts nothing about time.
 */
public final class MqttBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };
    private static final Duration STALL = Duration.ofSeconds(10);

    private final Mosquitto broker;
    private final MqttPool pools;
    private int round;

    private MqttBenchmark(Path directory) {
        broker = Mosquitto.start(directory.resolve("broker"), "max_queued_messages 0", "max_inflight_messages 0");
        pools = new MqttPool(directory.resolve("data"));
    }

    public static void main(String[] args) throws Exception {
        int qos0 = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int qos1 = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path directory = Files.createTempDirectory("tether-mqtt-bench");
        MqttBenchmark bench = new MqttBenchmark(directory);
        try {
            System.out.println("warm-up");
            bench.tetherRelay(0, 20_000);
            bench.pahoRelay(0, 20_000);
            bench.tetherRelay(1, 10_000);
            bench.pahoRelay(1, 10_000);
            for (int[] run : new int[][] { { 0, qos0 }, { 1, qos1 } }) {
                Result tether = bench.tetherRelay(run[0], run[1]);
                Result paho = bench.pahoRelay(run[0], run[1]);
                System.out.printf("relay QoS %d N=%d: tether %.0f msgs/s (lost %d), bare paho %.0f msgs/s (lost %d),"
                        + " ratio %.2f%n", run[0], run[1], tether.rate(), tether.lost(), paho.rate(), paho.lost(),
                        tether.rate() / paho.rate());
            }
            bench.reconnect(10);
        } finally {
            bench.pools.close();
            bench.broker.close();
        }
        System.exit(0);
    }

    record Result(int sent, long received, long nanos) {
        double rate() {
            return received * 1e9 / nanos;
        }

        long lost() {
            return sent - received;
        }
    }

    /** Tether's source → decode + encode → Tether's sink, all on one named connection. */
    private Result tetherRelay(int qos, int n) throws Exception {
        String id = "relay" + ++round;
        String in = "in/" + round;
        String out = "out/" + round;
        pools.pool.create(id, "mqtt", Map.of("server", broker.tcpUrl()));
        pools.awaitStatus(id, Status.CONNECTED);
        RecordingSinkContext sinkNode = pools.sink("bench-sink-" + round, Map.of(ConnectionPool.CONNECTION_SELECTOR, id,
                "topic", out, "qos", qos));
        Sink sink = sinkNode.sink();
        AtomicLong failures = new AtomicLong();
        RecordingSourceContext sourceNode = new RecordingSourceContext(pools.pool, "bench-source-" + round, "source_in") {
            @Override
            public void emit(RawMessage message) {
                try {
                    Map<String, Object> record = JSON.readValue(message.payload(), RECORD);
                    sink.collect(List.of(record));
                } catch (Exception e) {
                    if (failures.incrementAndGet() == 1) {
                        System.out.println("  tether relay: " + e);
                    }
                }
            }
        };
        Source source = pools.sources.create(in, Map.of(ConnectionPool.CONNECTION_SELECTOR, id, "qos", qos));
        source.open(sourceNode);
        Result result = measure(qos, n, in, out);
        if (failures.get() > 0) {
            System.out.println("  tether relay: " + failures.get() + " emissions failed");
        }
        source.close();
        sinkNode.close();
        pools.pool.delete(id);
        return result;
    }

    /**
     * A bare Paho client: subscribe in, Jackson decode + encode, publish out. Like Tether's connection it works off
     * Paho's callback thread (here on a single-thread executor): publishing from that thread deadlocks at QoS 1 once
     * the in-flight window is full, as the PUBACKs that would free it wait behind the blocked thread.
     */
    private Result pahoRelay(int qos, int n) throws Exception {
        String in = "in/" + ++round;
        String out = "out/" + round;
        MqttAsyncClient relay = BareMqtt.connect(broker.tcpUrl());
        ExecutorService worker = Executors.newSingleThreadExecutor();
        relay.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                worker.execute(() -> {
                    try {
                        Map<String, Object> record = JSON.readValue(message.getPayload(), RECORD);
                        BareMqtt.publish(relay, out, JSON.writeValueAsBytes(record), qos);
                    } catch (Exception e) {
                        System.out.println("  paho relay: " + e);
                    }
                });
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        relay.subscribe(in, qos).waitForCompletion();
        Result result = measure(qos, n, in, out);
        relay.disconnect().waitForCompletion();
        relay.close();
        worker.shutdown();
        return result;
    }

    private Result measure(int qos, int n, String in, String out) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        MqttAsyncClient counter = BareMqtt.connect(broker.tcpUrl());
        counter.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.incrementAndGet();
                lastArrival.set(System.nanoTime());
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        counter.subscribe(out, qos).waitForCompletion();
        MqttAsyncClient publisher = BareMqtt.connect(broker.tcpUrl());
        // the relay's subscription is live once a probe goes round
        while (received.get() == 0) {
            BareMqtt.publish(publisher, in, BareMqtt.payload(-1, 21.5), 1);
            Thread.sleep(20);
        }
        Thread.sleep(500);
        long baseline = received.get();

        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BareMqtt.publish(publisher, in, BareMqtt.payload(i, 21.5), qos);
        }
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (received.get() - baseline < n && System.nanoTime() - lastChange < STALL.toNanos()) {
            Thread.sleep(20);
            if (received.get() != lastCount) {
                lastCount = received.get();
                lastChange = System.nanoTime();
            }
        }
        long got = received.get() - baseline;
        publisher.disconnect().waitForCompletion();
        publisher.close();
        counter.disconnect().waitForCompletion();
        counter.close();
        return new Result(n, Math.min(got, n), lastArrival.get() - start);
    }

    /** Restarts the broker; time from its start to the connection's {@code connected}, subscriptions restored. */
    private void reconnect(int restarts) throws Exception {
        pools.pool.create("reconnect", "mqtt", Map.of("server", broker.tcpUrl()));
        pools.awaitStatus("reconnect", Status.CONNECTED);
        AtomicLong connectedAt = new AtomicLong();
        RecordingSourceContext node = new RecordingSourceContext(pools.pool, "bench-reconnect", "source_r") {
            @Override
            public StatusListener connectionStatusListener() {
                return (id, status) -> {
                    if (status.status() == Status.CONNECTED) {
                        connectedAt.set(System.nanoTime());
                    }
                };
            }
        };
        pools.sources.create("r/1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "reconnect")).open(node);
        try (TestClient device = new TestClient(broker.tcpUrl())) {
            Probes.awaitReceiving(device, "r/1", node);
        }
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < restarts; i++) {
            broker.stop();
            Poll.until("the loss is noticed", () -> pools.pool.get("reconnect").orElseThrow().status()
                    .status() != Status.CONNECTED);
            Thread.sleep(1000); // the broker stays down a second, as in a restart
            connectedAt.set(0);
            long restarted = System.nanoTime();
            broker.start();
            Poll.until("connected again", () -> connectedAt.get() != 0);
            millis.add((connectedAt.get() - restarted) / 1_000_000);
            try (TestClient device = new TestClient(broker.tcpUrl())) {
                device.publish("r/1", "after restart " + i, 1);
            }
            String after = node.next(Poll.PATIENCE);
            if (after == null || !after.startsWith("after restart")) {
                System.out.println("  restart " + i + ": message after reconnect not received (" + after + ")");
            }
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = (sorted.get((restarts - 1) / 2) + sorted.get(restarts / 2)) / 2.0;
        System.out.printf("reconnect over %d restarts (broker down 1 s each): median %.0f ms, max %d ms, all %s%n",
                restarts, median, sorted.get(sorted.size() - 1), millis);
    }
}
