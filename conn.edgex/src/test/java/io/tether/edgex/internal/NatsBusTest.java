package io.tether.edgex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.io.Acceptance;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/** Sources and sinks on the machine's NATS server (127.0.0.1:4222, JetStream on), as EdgeX services use it. */
class NatsBusTest {
    private final String base = "tether-test/" + UUID.randomUUID();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final EdgexSourceProvider sources = new EdgexSourceProvider();
    private TestPool pool;
    private Device device;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Peers.listening(NatsServer.MACHINE_PORT), "the machine's nats-server listens on 4222 (.ci/run starts it)");
        pool = TestPool.create();
        pool.addType(EdgexConnectorFactory.TYPE, new EdgexConnectorFactory(sources),
                getClass().getResource("/" + EdgexConnectorFactory.SCHEMA));
        device = new Device(NatsServer.MACHINE_PORT);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        pool.close();
        JetStreamManagement streams = device.nats.jetStreamManagement();
        String subjects = Topics.toSubject(base);
        for (StreamInfo stream : streams.getStreams()) {
            if (stream.getConfiguration().getSubjects().stream().anyMatch(subject -> subject.startsWith(subjects))) {
                streams.deleteStream(stream.getConfiguration().getName());
            }
        }
        device.close();
    }

    private void connection(String id, String type, Map<String, Object> optional) {
        Map<String, Object> props = new HashMap<>();
        props.put("type", type);
        props.put("server", "127.0.0.1");
        props.put("port", NatsServer.MACHINE_PORT);
        props.put("optional", optional);
        pool.create(id, EdgexConnectorFactory.TYPE, props);
        pool.awaitStatus(id, Status.CONNECTED);
    }

    private RecordingSourceContext source(String connection, String topic, RecordingSourceContext context) throws Exception {
        closing.add(context);
        return context.open(sources.create(topic, Map.of(ConnectionPool.CONNECTION_SELECTOR, connection,
                "messageType", "request")));
    }

    private RecordingSourceContext source(String connection, String topic, String rule) throws Exception {
        return source(connection, topic, new RecordingSourceContext(pool, rule, "source_edgex"));
    }

    @Test
    void anAddEventRequestWithTheEnvelopeAsHeadersBecomesATypedRecord() throws Exception {
        connection("core", "nats-core", Map.of());
        RecordingSourceContext source = source("core", base + "/events/#", "rule1");
        Poll.until("a record", () -> {
            device.publishHeaders(base + "/events/dev", Device.addEventRequest("m1", 42));
            return !source.records.isEmpty();
        }, () -> source.errors);
        assertEquals(Map.of("value", 42L, "marker", "m1"), source.records.get(0));
        assertEquals(List.of(), source.errors);
    }

    @Test
    void withFormatJsonTheWholeEnvelopeIsTheMessage() throws Exception {
        connection("json", "nats-core", Map.of("Format", "json"));
        RecordingSourceContext source = source("json", base + "/+/dev", "rule1");
        Poll.until("a record", () -> {
            device.publishJson(base + "/events/dev", Device.addEventRequest("m2", 7));
            return !source.records.isEmpty();
        }, () -> source.errors);
        assertEquals(Map.of("value", 7L, "marker", "m2"), source.records.get(0));
    }

    @Test
    void aMalformedMessageIsCountedOnTheSourceWhichGoesOn() throws Exception {
        connection("core", "nats-core", Map.of());
        RecordingSourceContext source = source("core", base + "/events/#", "rule1");
        Poll.until("an error counted", () -> {
            device.nats.publish(Topics.toSubject(base + "/events/dev"), "not json".getBytes(UTF_8));
            return !source.errors.isEmpty();
        });
        assertTrue(source.errors.get(0).getMessage().contains("not a JSON message envelope"), source.errors.get(0).getMessage());
        Poll.until("a record after it", () -> {
            device.publishHeaders(base + "/events/dev", Device.addEventRequest("after", 1));
            return !source.records.isEmpty();
        });
    }

    @Test
    void aSinkPublishesTheEventAsPayloadWithTheEnvelopeInHeaders() throws Exception {
        connection("core", "nats-core", Map.of());
        Subscription raw = device.nats.subscribe(Topics.toSubject(base + "/out/#"));
        device.nats.flush(Duration.ofSeconds(5));
        RecordingSinkContext sink = new RecordingSinkContext(pool, "rule9", "sink_edgex", false);
        closing.add(sink);
        sink.open(new EdgexSinkProvider().create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "core",
                "topicPrefix", base + "/out", "deviceName", "dev9")));
        sink.sink().send(List.of(Map.of("temperature", 21.5))).toCompletableFuture().get();
        Message message = raw.nextMessage(Duration.ofSeconds(10));
        assertEquals(Topics.toSubject(base + "/out/ekuiperProfile/dev9/rule9"), message.getSubject());
        assertEquals("application/json", message.getHeaders().getFirst("Content-Type"));
        assertEquals("v3", message.getHeaders().getFirst("ApiVersion"));
        assertEquals("0", message.getHeaders().getFirst("ErrorCode"));
        UUID.fromString(message.getHeaders().getFirst("X-Correlation-ID"));
        JsonNode event = EnvelopeCodec.MAPPER.readTree(message.getData());
        assertEquals("dev9", event.get("deviceName").asText());
        assertEquals("2.15e+01", event.get("readings").get(0).get("value").asText());
        assertEquals("Float64", event.get("readings").get(0).get("valueType").asText());
    }

    @Test
    void aJetStreamSinkCompletesOnceTheStreamStoredTheEvent() throws Exception {
        String stream = "tether_sink_" + UUID.randomUUID().toString().replace("-", "");
        device.nats.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name(stream)
                .subjects(Topics.toSubject(base + "/out/>")).build());
        connection("js", "nats-jetstream", Map.of());
        RecordingSinkContext sink = new RecordingSinkContext(pool, "rule9", "sink_edgex", false);
        closing.add(sink);
        sink.open(new EdgexSinkProvider().create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "js",
                "topic", base + "/out/events", "messageType", "request")));
        sink.sink().send(List.of(Map.of("count", 3L))).toCompletableFuture().get();
        MessageInfo stored = device.nats.jetStreamManagement().getLastMessage(stream,
                Topics.toSubject(base + "/out/events"));
        JsonNode request = EnvelopeCodec.MAPPER.readTree(stored.getData());
        assertEquals(stored.getHeaders().getFirst("RequestId"), request.get("requestId").asText());
        assertEquals("Int64", request.get("event").get("readings").get(0).get("valueType").asText());
        assertEquals("3", request.get("event").get("readings").get(0).get("value").asText());
    }

    @Test
    void aJetStreamMessageIsAcknowledgedOnlyOnceTheRuleAcceptedIt() throws Exception {
        String durable = "tether_ack_" + UUID.randomUUID().toString().replace("-", "");
        connection("js", "nats-jetstream", Map.of("Durable", durable, "AutoProvision", "true"));
        CountDownLatch release = new CountDownLatch(1);
        RecordingSourceContext source = source("js", base + "/events/#",
                new RecordingSourceContext(pool, "rule1", "source_edgex").acceptingRecords(record -> {
                    release.await();
                    return Acceptance.ACCEPTED;
                }));
        Poll.until("the consumer exists", () -> consumer(durable) != null);
        device.publishHeaders(base + "/events/dev", Device.addEventRequest("held", 1));
        Poll.until("the message is delivered and held", () -> source.offered.size() == 1, () -> source.errors);
        assertEquals(1, consumer(durable).getNumAckPending(), "not acknowledged while the rule holds it");
        release.countDown();
        Poll.until("acknowledged once accepted", () -> consumer(durable).getNumAckPending() == 0);
        assertEquals(List.of(Map.of("value", 1L, "marker", "held")), source.records);
    }

    @Test
    void sourcesInOneQueueGroupShareTheMessages() throws Exception {
        connection("queue", "nats-core", Map.of("QueueGroup", "workers"));
        RecordingSourceContext first = source("queue", base + "/events/#", "rule1");
        RecordingSourceContext second = source("queue", base + "/events/#", "rule2");
        device.nats.flush(Duration.ofSeconds(5));
        Poll.until("both members got messages", () -> {
            device.publishHeaders(base + "/events/dev", Device.addEventRequest("q", 1));
            return !first.records.isEmpty() && !second.records.isEmpty();
        });
        int published = 50;
        for (int i = 0; i < published; i++) {
            device.publishHeaders(base + "/events/dev", Device.addEventRequest("counted", i));
        }
        device.nats.flush(Duration.ofSeconds(5));
        Poll.until("each message reaches one member of the group", () -> counted(first) + counted(second) >= published);
        assertEquals(published, counted(first) + counted(second), "no message twice");
    }

    private static long counted(RecordingSourceContext source) {
        return source.values("marker").stream().filter("counted"::equals).count();
    }

    @Test
    void deliverAllGivesAJetStreamSourceWhatTheStreamHeldBeforeIt() throws Exception {
        String durable = "tether_all_" + UUID.randomUUID().toString().replace("-", "");
        device.nats.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name(durable)
                .subjects(Topics.toSubject(base + "/events/>")).build());
        device.publishHeaders(base + "/events/dev", Device.addEventRequest("earlier", 1));
        device.nats.flush(Duration.ofSeconds(5));
        connection("js", "nats-jetstream", Map.of("Durable", durable, "Deliver", "all"));
        RecordingSourceContext source = source("js", base + "/events/#", "rule1");
        Poll.until("the earlier event", () -> source.values("marker").contains("earlier"), () -> source.errors);
    }

    private ConsumerInfo consumer(String durable) {
        try {
            return device.nats.jetStreamManagement().getConsumerInfo(durable, durable);
        } catch (Exception e) {
            return null;
        }
    }
}
