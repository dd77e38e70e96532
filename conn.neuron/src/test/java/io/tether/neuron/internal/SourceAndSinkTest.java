package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
    void aSendToAPeerThatStopsReadingFailsWithinTheSendTimeout() throws Exception {
        AtomicReference<SocketChannel> silent = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Thread handshaker = new Thread(() -> {
                try {
                    SocketChannel peer = server.accept();
                    silent.set(peer);
                    peer.write(ByteBuffer.wrap(SpPipe.header(SpPipe.PAIR0)));
                    peer.read(ByteBuffer.allocate(8)); // then reads nothing more, and stays open until the test ends
                } catch (IOException e) {
                    // the test ended
                }
            }, "silent-peer");
            handshaker.start();
            pool.create("neuron", NeuronConnectorFactory.TYPE,
                    Map.of("url", "tcp://127.0.0.1:" + server.socket().getLocalPort()));
            try (RecordingSinkContext sink = new RecordingSinkContext(pool, "rule1", "sink_neuron_0", false)) {
                sink.open(sinks.create(Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron", "raw", true)));
                pool.awaitStatus("neuron", Status.CONNECTED);
                List<Map<String, Object>> megabyte = List.of(Map.of("pad", "x".repeat(1024 * 1024)));
                for (int sent = 0; ; sent++) {
                    assertTrue(sent < 100, "the socket's buffers fill up");
                    long start = System.nanoTime();
                    try {
                        sink.sink().send(megabyte).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        DeliveryException failed = (DeliveryException) e.getCause();
                        assertEquals("nng sink: no outcome within 5000 ms", failed.getMessage());
                        assertTrue(failed.isRetryable());
                        assertTrue(took.compareTo(sink.sendTimeout().plusSeconds(2)) < 0, "took " + took);
                        break;
                    }
                }
            }
        } finally {
            SpPipe.closeQuietly(silent.get());
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
