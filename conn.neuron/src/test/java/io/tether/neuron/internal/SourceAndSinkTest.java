package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/** Sources and sinks on one named connection to a Java pair0 listener. */
class SourceAndSinkTest {
    private TestPool pool;
    private PairListener neuron;
    private final NeuronSourceProvider sources = new NeuronSourceProvider();
    private final NeuronSinkProvider sinks = new NeuronSinkProvider();

    @BeforeEach
    void start() {
        pool = TestPool.create();
        pool.addType(NeuronConnectorFactory.TYPE, new NeuronConnectorFactory(sources),
                getClass().getResource("/" + NeuronConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() {
        pool.close();
        if (neuron != null) {
            neuron.close();
        }
    }

    @Test
    void aMalformedMessageIsCountedAndTheSourceReadsOn() throws Exception {
        neuron = PairListener.tcp(0);
        pool.create("neuron", NeuronConnectorFactory.TYPE, Map.of("url", neuron.url()));
        try (RecordingSourceContext rule = new RecordingSourceContext(pool, "rule1", "source_neuron")) {
            rule.open(sources.create("", Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron")));
            pool.awaitStatus("neuron", Status.CONNECTED);
            Poll.until("the pipe is attached", neuron::attached);
            neuron.send("not json".getBytes(UTF_8));
            neuron.send(NeuronMessagesTest.DATA.getBytes(UTF_8));
            Poll.until("the good one arrives", () -> !rule.records.isEmpty());
            assertEquals(1, rule.errors.size(), rule.errors.toString());
            assertTrue(rule.errors.get(0).getMessage().startsWith("neuron message is not a JSON object"));
            assertEquals(Status.CONNECTED, pool.info("neuron").status().status(), "a bad message is no lost link");
        }
    }

    @Test
    void aSinkAndASourceShareTheSocket() throws Exception {
        neuron = PairListener.tcp(0);
        pool.create("neuron", NeuronConnectorFactory.TYPE, Map.of("url", neuron.url()));
        try (RecordingSourceContext rule = new RecordingSourceContext(pool, "rule1", "source_neuron");
                RecordingSinkContext sink = new RecordingSinkContext(pool, "rule1", "sink_neuron_0", false)) {
            rule.open(sources.create("", Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron")));
            sink.open(sinks.create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron", "nodeName", "n",
                    "groupName", "g")));
            pool.awaitStatus("neuron", Status.CONNECTED);
            Poll.until("the pipe is attached", neuron::attached);
            sink.sink().send(List.of(Map.of("t", 1))).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals("{\"group_name\":\"g\",\"node_name\":\"n\",\"tags\":[{\"tag_name\":\"t\",\"value\":1}]}",
                    new String(neuron.next(Duration.ofSeconds(5)), UTF_8));
            neuron.send(NeuronMessagesTest.DATA.getBytes(UTF_8));
            Poll.until("the source receives on the same pipe", () -> !rule.records.isEmpty());
            assertEquals(1, pool.list(true).size());
        }
    }

    @Test
    void aSendWhileDetachedFailsAtOnceRetryable() throws Exception {
        int nobody = Peers.freePort();
        pool.create("neuron", NeuronConnectorFactory.TYPE, Map.of("url", "tcp://127.0.0.1:" + nobody));
        try (RecordingSinkContext sink = new RecordingSinkContext(pool, "rule1", "sink_neuron_0", false)) {
            sink.open(sinks.create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron", "raw", true)));
            long start = System.nanoTime();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> sink.sink().send(List.of(Map.of("t", 1))).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "at once");
            DeliveryException delivery = (DeliveryException) failed.getCause();
            assertEquals("nng connection is not established", delivery.getMessage());
            assertTrue(delivery.isRetryable());
            assertFalse(pool.info("neuron").status().status() == Status.CONNECTED);
        }
    }
}
