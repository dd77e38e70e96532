package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * Interop with the real NNG: {@code nngcat} (nng-utils 1.5.2) listening in pair0 mode, as Neuron's eKuiper plugin
 * listens, over TCP and IPC.
 */
class NngcatInteropTest {
    /** The pool's backoff cap in these tests: a restarted peer is reached within it (plus a dial). */
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);

    @TempDir
    Path directory;
    private TestPool pool;
    private final NeuronSourceProvider sources = new NeuronSourceProvider();
    private final NeuronSinkProvider sinks = new NeuronSinkProvider();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void startPool() {
        pool = TestPool.builder().backoff(Duration.ofMillis(100), 1.5, BACKOFF_CAP).build();
        pool.addType(NeuronConnectorFactory.TYPE, new NeuronConnectorFactory(sources),
                getClass().getResource("/" + NeuronConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        pool.close();
    }

    private String tcpUrl() {
        return "tcp://127.0.0.1:" + Peers.freePort();
    }

    private String ipcUrl() {
        return "ipc://" + directory.resolve("neuron.ipc");
    }

    private Nngcat nngcat(String url, String... arguments) {
        Nngcat nngcat = Nngcat.listen(url, directory.resolve("nngcat-" + closing.size() + ".out"), arguments);
        closing.add(nngcat);
        return nngcat;
    }

    /**
     * nngcat sending the file's bytes as soon as a peer attaches, then every 5 s. nngcat 1.5.2 exits ("Cannot set recv
     * timeout") when a send waited longer than the interval for a peer: the tests attach their consumers first, so
     * that the pool dials within its backoff cap, well within the interval.
     */
    private Nngcat sending(String url, byte[] message) throws IOException {
        Path file = Files.write(directory.resolve("message-" + closing.size()), message);
        return nngcat(url, "--pair0", "--file", file.toString(), "--interval", "5");
    }

    private RecordingSourceContext source(String rule, Map<String, Object> props) throws Exception {
        RecordingSourceContext context = new RecordingSourceContext(pool, rule, "source_neuron");
        closing.add(context);
        return context.open(sources.create("", props));
    }

    @Test
    void aDataMessageReachesTwoRulesOnOneSharedSocketOverTcp() throws Exception {
        String url = tcpUrl();
        twoRulesReceive(url, NeuronMessagesTest.DATA.getBytes(UTF_8));
    }

    @Test
    void aDataMessageWithTheTracePrefixReachesTwoRulesOverIpc() throws Exception {
        String url = ipcUrl();
        twoRulesReceive(url, NeuronMessagesTest.traced(NeuronMessagesTest.DATA));
    }

    private void twoRulesReceive(String url, byte[] message) throws Exception {
        RecordingSourceContext first = source("rule1", Map.of("url", url));
        RecordingSourceContext second = source("rule2", Map.of("url", url));
        sending(url, message);
        for (RecordingSourceContext rule : List.of(first, second)) {
            Poll.until("the record reaches " + rule.ruleId(), () -> !rule.records.isEmpty(), () -> rule.errors);
            Map<String, Object> record = rule.records.get(0);
            assertEquals("node1", record.get("node_name"));
            assertEquals("group1", record.get("group_name"));
            assertEquals(1646125996000L, record.get("timestamp"));
            assertEquals(Map.of("tag_name1", 11.22, "tag_name2", "yellow"), record.get("values"));
            assertEquals(Map.of("tag_name3", 122), record.get("errors"));
            assertEquals(List.of(), rule.errors);
        }
        List<ConnectionInfo> connections = pool.list(true);
        assertEquals(1, connections.size(), "one socket for both: " + connections);
        assertEquals(2, connections.get(0).status().refCount());
    }

    @Test
    void aSinkWriteArrivesAtNngcatByteExact() throws Exception {
        for (String url : List.of(tcpUrl(), ipcUrl())) {
            Nngcat nngcat = nngcat(url, "--pair0", "--count", "1");
            RecordingSinkContext sink = new RecordingSinkContext(pool, "rule-" + url.substring(0, 3), "sink_neuron_0",
                    false);
            closing.add(sink);
            sink.open(sinks.create(Map.of("url", url, "nodeName", "test1", "groupName", "grp",
                    "tags", List.of("temperature", "status"))));
            Poll.until("connected", () -> sink.states().contains(Status.CONNECTED), sink::states);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("status", "ok");
            record.put("temperature", 25);
            record.put("other", 1);
            sink.sink().send(List.of(record)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(nngcat.awaitExit(Duration.ofSeconds(5)), "nngcat received its one message");
            assertEquals("{\"group_name\":\"grp\",\"node_name\":\"test1\",\"tags\":[{\"tag_name\":\"temperature\","
                    + "\"value\":25},{\"tag_name\":\"status\",\"value\":\"ok\"}]}", new String(nngcat.received(), UTF_8));
        }
    }

    @Test
    void aRawSinkSendsTheEncodedResultAsItIs() throws Exception {
        String url = ipcUrl();
        Nngcat nngcat = nngcat(url, "--pair0", "--count", "1");
        RecordingSinkContext sink = new RecordingSinkContext(pool, "rule-raw", "sink_neuron_0", true);
        closing.add(sink);
        sink.open(sinks.create(Map.of("url", url, "raw", true)));
        Poll.until("connected", () -> sink.states().contains(Status.CONNECTED), sink::states);
        sink.sink().send(List.of(Map.of("a", 1))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(nngcat.awaitExit(Duration.ofSeconds(5)), "nngcat received its one message");
        assertEquals("{\"a\":1}", new String(nngcat.received(), UTF_8));
    }

    @Test
    void aPair1ListenerIsRefusedWithTheProtocolError() {
        String url = tcpUrl();
        nngcat(url, "--pair1", "--data", "hello");
        pool.create("neuron", NeuronConnectorFactory.TYPE, Map.of("url", url));
        ConnectionInfo refused = Poll.await("the protocol error", Poll.PATIENCE, () -> {
            ConnectionInfo info = pool.info("neuron");
            return info.status().status() == Status.DISCONNECTED && info.status().err() != null ? info : null;
        }, () -> pool.info("neuron"));
        assertEquals(url + " speaks SP protocol pair1 (0x0011), not pair0 (0x0010): Neuron listens with pair v0;"
                + " refused", refused.status().err());
    }

    @Test
    void aKilledAndRestartedNngcatIsRedialledWithinTheBackoffCapAndDataFlowsAgain() throws Exception {
        String url = tcpUrl();
        pool.create("neuron", NeuronConnectorFactory.TYPE, Map.of("url", url));
        RecordingSourceContext rule = source("rule1", Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron"));
        Nngcat nngcat = sending(url, NeuronMessagesTest.DATA.getBytes(UTF_8));
        Poll.until("data flows", () -> !rule.records.isEmpty());

        nngcat.kill();
        Poll.until("the loss is told", () -> rule.statuses.stream().anyMatch(s -> s.status() == Status.DISCONNECTED),
                () -> rule.statuses);
        Thread.sleep(BACKOFF_CAP.toMillis()); // the outage: dials fail meanwhile, and the backoff grows to its cap
        nngcat.start();
        long restarted = System.nanoTime();
        pool.awaitStatus("neuron", Status.CONNECTED);
        Duration reconnect = Duration.ofNanos(System.nanoTime() - restarted);
        assertTrue(reconnect.compareTo(BACKOFF_CAP.plusSeconds(1)) < 0, "reconnected in " + reconnect.toMillis()
                + " ms: within the backoff cap " + BACKOFF_CAP.toMillis() + " ms and a dial");
        int before = rule.records.size();
        Poll.until("data flows again", () -> rule.records.size() > before);
    }

    @Test
    void aMessageOverTheReceiveLimitClosesThePipeAndIsReported() throws Exception {
        String url = tcpUrl();
        byte[] big = new byte[NeuronConnectorFactory.Settings.DEFAULT_RECV_MAX_SIZE + 1];
        Arrays.fill(big, (byte) ' ');
        RecordingSourceContext rule = source("rule1", Map.of("url", url));
        sending(url, big);
        String expected = url + ": a message of 4194305 bytes is over the receive limit of 4194304 bytes"
                + " (recvMaxSize); the pipe is closed";
        Poll.until("the source counts it", () -> !rule.errors.isEmpty(), () -> rule.errors);
        assertEquals(expected, rule.errors.get(0).getMessage());
        Poll.until("the status says why the pipe closed", () -> rule.statuses.stream()
                .anyMatch(status -> status.status() == Status.DISCONNECTED && expected.equals(status.err())),
                () -> rule.statuses);
        assertEquals(List.of(), rule.records);
    }
}
