package io.tether.edgex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.ImmediateReservation;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TestPool;

/**
 * Records per second that an EdgeX source decodes from AddEventRequests with 5 readings arriving over MQTT (QoS 1,
 * acknowledged once the rule took each record), against the rate at which a bare Paho client receives the same
 * messages from the same broker in the same run: the baseline. Prints figures; asserts nothing.
 * <p>
 * {@code mvn -o -pl conn.edgex exec:java} (options: {@code -Dbench.messages=50000 -Dbench.rounds=3}).
 */
public final class EdgexBenchmark {
    private static final String TOPIC = "edgex/events/device/bench/Bench-Profile/bench-1/Readings";

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("bench.messages", 50_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path directory = Files.createTempDirectory("edgex-bench");
        byte[] envelope = envelope();
        System.out.printf("EdgeX over MQTT: %d AddEventRequests of %d bytes (5 readings), QoS 1, private Mosquitto%n",
                messages, envelope.length);
        try (Mosquitto broker = Mosquitto.start(directory, "max_queued_messages 0", "max_inflight_messages 0");
                TestPool pool = TestPool.create()) {
            EdgexSourceProvider sources = new EdgexSourceProvider();
            pool.addType(EdgexConnectorFactory.TYPE, new EdgexConnectorFactory(sources));
            pool.create("bus", EdgexConnectorFactory.TYPE, Map.of("server", "127.0.0.1", "port", broker.port(),
                    "optional", Map.of("Qos", 1)));
            pool.awaitStatus("bus", Status.CONNECTED);
            MqttAsyncClient device = BareMqtt.connect(broker.tcpUrl());
            run(device, envelope, messages / 5, () -> raw(broker), sources, pool); // warm-up of both paths
            run(device, envelope, messages / 5, () -> tether(sources, pool), sources, pool);
            double rawSum = 0;
            double tetherSum = 0;
            for (int round = 1; round <= rounds; round++) {
                double raw = run(device, envelope, messages, () -> raw(broker), sources, pool);
                double decoded = run(device, envelope, messages, () -> tether(sources, pool), sources, pool);
                rawSum += raw;
                tetherSum += decoded;
                System.out.printf("round %d: raw Paho receive %,.0f msg/s; conn.edgex decoded %,.0f records/s "
                        + "(%,.0f readings/s); ratio %.2f%n", round, raw, decoded, decoded * 5, decoded / raw);
            }
            System.out.printf("mean of %d rounds: raw Paho %,.0f msg/s, conn.edgex %,.0f records/s, ratio %.2f%n",
                    rounds, rawSum / rounds, tetherSum / rounds, tetherSum / rawSum);
            device.disconnectForcibly(1000);
            device.close();
        }
    }

    /** A receiver that counts arrivals and can be closed. */
    private interface Receiver extends AutoCloseable {
        void expect(int count, CountDownLatch done, AtomicLong first);
    }

    @FunctionalInterface
    private interface ReceiverFactory {
        Receiver open() throws Exception;
    }

    private static double run(MqttAsyncClient device, byte[] envelope, int count, ReceiverFactory factory,
            EdgexSourceProvider sources, TestPool pool) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong first = new AtomicLong();
        try (Receiver receiver = factory.open()) {
            receiver.expect(count, done, first);
            for (int i = 0; i < count; i++) {
                BareMqtt.publish(device, TOPIC, envelope, 1);
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not every message arrived");
            }
            return (count - 1) / ((System.nanoTime() - first.get()) / 1e9);
        }
    }

    /** The baseline: a bare Paho client (QoS 1, Paho's automatic acknowledgement) that only counts. */
    private static Receiver raw(Mosquitto broker) throws Exception {
        MqttAsyncClient client = BareMqtt.connect(broker.tcpUrl());
        return new Receiver() {
            @Override
            public void expect(int count, CountDownLatch done, AtomicLong first) {
                AtomicLong seen = new AtomicLong();
                client.setCallback(new MqttCallback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        long n = seen.incrementAndGet();
                        if (n == 1) {
                            first.set(System.nanoTime());
                        }
                        if (n == count) {
                            done.countDown();
                        }
                    }

                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                    }
                });
                try {
                    client.subscribe(TOPIC, 1).waitForCompletion();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() throws Exception {
                client.disconnect().waitForCompletion();
                client.close();
            }
        };
    }

    /** conn.edgex: a source on the named connection, decoding each envelope's event into a record for a rule. */
    private static Receiver tether(EdgexSourceProvider sources, TestPool pool) {
        return new Receiver() {
            private Source source;

            @Override
            public void expect(int count, CountDownLatch done, AtomicLong first) {
                source = sources.create(TOPIC, Map.of(ConnectionPool.CONNECTION_SELECTOR, "bus", "messageType", "request"));
                AtomicLong seen = new AtomicLong();
                try {
                    source.open(new CountingContext(pool, record -> {
                        long n = seen.incrementAndGet();
                        if (n == 1) {
                            first.set(System.nanoTime());
                        }
                        if (record.size() != 5) {
                            throw new IllegalStateException("a record of " + record.size() + " fields: " + record);
                        }
                        if (n == count) {
                            done.countDown();
                        }
                    }));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                awaitSubscribed(sources);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /** The subscription reaches the broker shortly after open: a publish before it would be lost. */
    private static void awaitSubscribed(EdgexSourceProvider sources) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (sources.subscribers.find("bus").map(Subscribers::size).orElse(0) > 0) {
                break;
            }
            Thread.onSpinWait();
        }
        try {
            Thread.sleep(200); // the SUBACK: lib.mqtt subscribes without telling when the broker answered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] envelope() {
        StringBuilder readings = new StringBuilder();
        String[][] values = {{"temperature", "Float64", "2.15e+01"}, {"pressure", "Int64", "1013"},
                {"running", "Bool", "true"}, {"mode", "String", "auto"}, {"ratio", "Float32", "7.5e-01"}};
        for (String[] value : values) {
            if (readings.length() > 0) {
                readings.append(',');
            }
            readings.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"origin\":1700000000000000000,")
                    .append("\"deviceName\":\"bench-1\",\"resourceName\":\"").append(value[0])
                    .append("\",\"profileName\":\"Bench-Profile\",\"valueType\":\"").append(value[1])
                    .append("\",\"value\":\"").append(value[2]).append("\"}");
        }
        String request = "{\"apiVersion\":\"v3\",\"requestId\":\"" + UUID.randomUUID() + "\",\"event\":{\"apiVersion\":\"v3\","
                + "\"id\":\"" + UUID.randomUUID() + "\",\"deviceName\":\"bench-1\",\"profileName\":\"Bench-Profile\","
                + "\"sourceName\":\"Readings\",\"origin\":1700000000000000000,\"readings\":[" + readings + "]}}";
        return EnvelopeCodec.encode(new Envelope("v3", "", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                0, request.getBytes(UTF_8), "application/json", Map.of()));
    }

    /** A rule that takes every record at once and counts it. */
    private static final class CountingContext implements SourceContext {
        private final ConnectionPool pool;
        private final java.util.function.Consumer<Map<String, Object>> taken;

        CountingContext(ConnectionPool pool, java.util.function.Consumer<Map<String, Object>> taken) {
            this.pool = pool;
            this.taken = taken;
        }

        @Override
        public String ruleId() {
            return "bench";
        }

        @Override
        public String operatorId() {
            return "source_edgex";
        }

        @Override
        public ConnectionPool pool() {
            return pool;
        }

        @Override
        public StatusListener connectionStatusListener() {
            return (id, status) -> {
            };
        }

        @Override
        public void reportError(Throwable error) {
            System.err.println("source error: " + error.getMessage());
        }

        @Override
        public void emit(RawMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
            taken.accept(record);
        }

        @Override
        public Acceptance offer(RawMessage message, Duration maxWait) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait) {
            taken.accept(record);
            return Acceptance.ACCEPTED;
        }

        @Override
        public Reservation reserve(Duration maxWait) {
            return new ImmediateReservation(this);
        }

        @Override
        public Map<String, Object> state() {
            return Map.of();
        }

        @Override
        public void saveState(Map<String, Object> state) {
        }
    }
}
