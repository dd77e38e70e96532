package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * A sink and a source on the machine's Mosquitto (127.0.0.1:1883): what the sink publishes as an AddEventRequest
 * (MQTT QoS 1), the source reads back as the record it was, with the sink's names in its metadata.
 */
class MachineMosquittoTest {
    private final String topic = "tether-test/" + UUID.randomUUID() + "/events";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final EdgexSourceProvider sources = new EdgexSourceProvider();
    private TestPool pool;

    @BeforeEach
    void start() {
        assumeTrue(Peers.listening(1883), "the machine's Mosquitto listens on 1883 (.ci/run starts it)");
        pool = TestPool.create();
        closing.add(pool);
        pool.addType(EdgexConnectorFactory.TYPE, new EdgexConnectorFactory(sources),
                getClass().getResource("/" + EdgexConnectorFactory.SCHEMA));
        pool.create("bus", EdgexConnectorFactory.TYPE, Map.of("server", "127.0.0.1", "port", 1883,
                "optional", Map.of("Qos", 1)));
        pool.awaitStatus("bus", Status.CONNECTED);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void whatASinkPublishesASourceReadsBackAsTheSameRecord() throws Exception {
        RecordingSourceContext source = new RecordingSourceContext(pool, "reader", "source_edgex");
        closing.add(source);
        source.open(sources.create(topic + "/#", Map.of(ConnectionPool.CONNECTION_SELECTOR, "bus",
                "messageType", "request")));
        RecordingSinkContext sink = new RecordingSinkContext(pool, "writer", "sink_edgex", false);
        closing.add(sink);
        sink.open(new EdgexSinkProvider().create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "bus",
                "messageType", "request", "topicPrefix", topic, "deviceName", "pump")));
        Map<String, Object> record = Map.of("pressure", 1013L, "running", true, "temperature", 21.5,
                "name", "pump 1", "levels", List.of(1L, 2L));
        Poll.until("the record comes back", () -> {
            sink.sink().send(List.of(record));
            return !source.records.isEmpty();
        }, () -> source.errors);
        assertEquals(record, source.records.get(0));
        assertEquals(List.of(), source.errors);
        assertTrue(source.offerWaits.contains(EdgexSource.UNTIL_ACCEPTED), "QoS 1: the source waits for its rule");
    }
}
