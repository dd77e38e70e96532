package io.tether.rule.internal.runtime;

import static io.tether.rule.internal.runtime.RuleEngineTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.SourceContext;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

/** SPEC §7, "nothing accepted is lost": a rule whose buffer is full makes its source wait instead of dropping. */
class BackpressureTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Action FAKE_SINK = new Action("fake", Map.of("sendSingle", true));

    @TempDir
    Path dataDirectory;
    private final FakeConnector fake = new FakeConnector();
    private RuleEngine engine;

    @BeforeEach
    void start() {
        engine = new RuleEngine(new MaskingPool(), dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.addSourceProvider(fake, Map.of(ConnectorFactory.TYPE_PROPERTY, "fake"));
        engine.addSinkProvider(fake, Map.of(ConnectorFactory.TYPE_PROPERTY, "fake"));
        engine.activate();
        engine.createStream("CREATE STREAM demo () WITH (TYPE=\"fake\", DATASOURCE=\"t\")");
        engine.createStream("CREATE STREAM shared () WITH (TYPE=\"fake\", DATASOURCE=\"t\", SHARED=\"true\")");
    }

    @AfterEach
    void stop() {
        CountDownLatch gate = fake.sinkGate;
        if (gate != null) {
            gate.countDown();
        }
        engine.deactivate();
    }

    private static RawMessage message(int n) {
        return new RawMessage(("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static List<String> expected(int count) {
        return IntStream.range(0, count).mapToObj(n -> "{\"n\":" + n + "}").toList();
    }

    private void createRule(String id, String stream, Action sink, RuleOptions options) {
        engine.createRule(new RuleDefinition(id, "SELECT * FROM " + stream, List.of(sink), true, options));
    }

    private long status(String ruleId, String key) {
        return (Long) engine.status(ruleId).get(key);
    }

    /** Offers records 0..count-1 on a thread of its own; completes with how many were not accepted. */
    private static CompletableFuture<Integer> offerAll(SourceContext source, int count) {
        return CompletableFuture.supplyAsync(() -> {
            int refused = 0;
            for (int n = 0; n < count; n++) {
                try {
                    if (source.offer(message(n), LONG) != Acceptance.ACCEPTED) {
                        refused++;
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return refused;
        });
    }

    @Test
    void aSourceFasterThanItsRuleWaitsAndNoRecordIsLost() throws Exception {
        CountDownLatch slowSink = new CountDownLatch(1);
        fake.sinkGate = slowSink;
        createRule("r1", "demo", FAKE_SINK, RuleOptions.DEFAULT);
        CompletableFuture<Integer> refused = offerAll(fake.openSources.get(0), 50_000);
        await(() -> status("r1", "source_demo_0_blocked_ms_total") > 20);
        slowSink.countDown();

        assertEquals(0, refused.get(60, TimeUnit.SECONDS));
        await(() -> fake.sent.size() == 50_000);
        assertEquals(expected(50_000), fake.sent);
        assertEquals(50_000L, status("r1", "source_demo_0_records_in_total"));
        assertEquals(0L, status("r1", "source_demo_0_exceptions_total"));
        assertTrue(status("r1", "source_demo_0_blocked_ms_total") >= 20);
    }

    @Test
    void emitWaitsForRoomToo() throws Exception {
        CountDownLatch slowSink = new CountDownLatch(1);
        fake.sinkGate = slowSink;
        createRule("r1", "demo", FAKE_SINK, new RuleOptions(2, RuleOptions.Overflow.BLOCK));
        SourceContext source = fake.openSources.get(0);
        CompletableFuture<Void> emitted = CompletableFuture.runAsync(
                () -> IntStream.range(0, 10).forEach(n -> source.emit(message(n))));
        await(() -> status("r1", "source_demo_0_blocked_ms_total") > 0);
        slowSink.countDown();
        emitted.get(10, TimeUnit.SECONDS);
        await(() -> fake.sent.size() == 10);
        assertEquals(expected(10), fake.sent);
        assertEquals(0L, status("r1", "source_demo_0_exceptions_total"));
    }

    @Test
    void anOfferThatFindsTheBufferFullBeyondItsWaitIsDroppedAndCounted() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("r1", "demo", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.BLOCK));
        SourceContext source = fake.openSources.get(0);
        assertEquals(Acceptance.ACCEPTED, source.offer(message(0), LONG));
        await(() -> fake.collecting.get() == 1);
        assertEquals(Acceptance.ACCEPTED, source.offer(message(1), LONG));

        long start = System.nanoTime();
        assertEquals(Acceptance.DROPPED, source.offer(message(2), Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos());
        assertEquals(1L, status("r1", "source_demo_0_exceptions_total"));
        assertEquals("rule r1 is overloaded: its buffer of 1 records stayed full for 50 ms, record dropped "
                + "(options.bufferLength)", engine.status("r1").get("source_demo_0_last_exception"));
        assertTrue(status("r1", "source_demo_0_blocked_ms_total") >= 50);
    }

    @Test
    void withOverflowDropAnOfferNeverWaits() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("r1", "demo", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.DROP));
        SourceContext source = fake.openSources.get(0);
        source.offer(message(0), LONG);
        await(() -> fake.collecting.get() == 1);
        assertEquals(Acceptance.ACCEPTED, source.offer(message(1), LONG));
        assertEquals(Acceptance.DROPPED, source.offer(message(2), LONG));
        assertEquals("rule r1 is overloaded: its buffer of 1 records is full, record dropped (options.bufferLength)",
                engine.status("r1").get("source_demo_0_last_exception"));
        assertEquals(0L, status("r1", "source_demo_0_blocked_ms_total"));
    }

    @Test
    void stoppingTheRuleEndsTheWaitsAtOnceAndTheAcceptedRecordsAreProcessed() throws Exception {
        CountDownLatch slowSink = new CountDownLatch(1);
        fake.sinkGate = slowSink;
        createRule("r1", "demo", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.BLOCK));
        SourceContext source = fake.openSources.get(0);
        source.offer(message(0), LONG);
        await(() -> fake.collecting.get() == 1);
        source.offer(message(1), LONG);
        CompletableFuture<Acceptance> offered = CompletableFuture.supplyAsync(() -> {
            try {
                return source.offer(message(2), Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Void> emitted = CompletableFuture.runAsync(() -> source.emit(message(3)));
        await(() -> status("r1", "source_demo_0_blocked_ms_total") > 20);

        long stopping = System.nanoTime();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> engine.stop("r1"));
        assertEquals(Acceptance.CLOSED, offered.get(1, TimeUnit.SECONDS));
        emitted.get(1, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - stopping < Duration.ofSeconds(1).toNanos());

        slowSink.countDown();
        stopped.get(10, TimeUnit.SECONDS);
        assertEquals(expected(2), fake.sent);
        assertEquals(0, fake.openSinks.get());
    }

    @Test
    void anInterruptedOfferThrowsAndAnInterruptedEmitKeepsTheInterrupt() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("r1", "demo", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.BLOCK));
        SourceContext source = fake.openSources.get(0);
        source.offer(message(0), LONG);
        await(() -> fake.collecting.get() == 1);
        source.offer(message(1), LONG);

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> source.offer(message(2), LONG));
        Thread.currentThread().interrupt();
        source.emit(message(3));
        assertTrue(Thread.interrupted());
        assertEquals(0L, status("r1", "source_demo_0_exceptions_total"));
    }

    /**
     * One source for two rules: the slow one holds the source back, and so the fast one (documented); nothing is
     * lost for either, and the status shows which rule waited.
     */
    @Test
    void aSlowRuleOnASharedStreamHoldsTheOthersBackAndNothingIsLost() throws Exception {
        FakeConnector fast = new FakeConnector();
        engine.addSinkProvider(fast, Map.of(ConnectorFactory.TYPE_PROPERTY, "fast"));
        CountDownLatch slowSink = new CountDownLatch(1);
        fake.sinkGate = slowSink;
        createRule("slow", "shared", FAKE_SINK, new RuleOptions(4, RuleOptions.Overflow.BLOCK));
        createRule("quick", "shared", new Action("fast", Map.of("sendSingle", true)), RuleOptions.DEFAULT);
        assertEquals(1, fake.openSources.size());

        CompletableFuture<Integer> refused = offerAll(fake.openSources.get(0), 2_000);
        await(() -> status("slow", "source_shared_0_blocked_ms_total") > 50);
        assertTrue(fast.sent.size() <= 4 + 2, fast.sent.size() + " records passed the slow rule's buffer");
        slowSink.countDown();

        assertEquals(0, refused.get(30, TimeUnit.SECONDS));
        await(() -> fake.sent.size() == 2_000 && fast.sent.size() == 2_000);
        assertEquals(expected(2_000), fake.sent);
        assertEquals(expected(2_000), fast.sent);
        assertEquals(0L, status("quick", "source_shared_0_blocked_ms_total"));
        assertEquals(0L, status("slow", "source_shared_0_exceptions_total"));
        assertEquals(0L, status("quick", "source_shared_0_exceptions_total"));
    }

    @Test
    void aSharedOfferWaitsOnceOverallNotOncePerRule() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("a", "shared", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.BLOCK));
        createRule("b", "shared", FAKE_SINK, new RuleOptions(1, RuleOptions.Overflow.BLOCK));
        SourceContext source = fake.openSources.get(0);
        source.offer(message(0), LONG);
        await(() -> fake.collecting.get() == 2);
        assertEquals(Acceptance.ACCEPTED, source.offer(message(1), LONG));

        long start = System.nanoTime();
        assertEquals(Acceptance.DROPPED, source.offer(message(2), Duration.ofMillis(200)));
        long waited = System.nanoTime() - start;
        assertTrue(waited < Duration.ofMillis(350).toNanos(), waited / 1_000_000 + " ms for two full rules");
    }

    @Test
    void aGracefulStopProcessesEveryAcceptedRecordBeforeTheSinkCloses() throws Exception {
        fake.sinkDelayMillis = 2;
        createRule("r1", "demo", FAKE_SINK, RuleOptions.DEFAULT);
        SourceContext source = fake.openSources.get(0);
        for (int n = 0; n < 300; n++) {
            assertEquals(Acceptance.ACCEPTED, source.offer(message(n), LONG));
        }
        assertTrue(fake.sent.size() < 300, "the sink is slower than the source");
        engine.stop("r1");
        assertEquals(expected(300), fake.sent);
        assertEquals(0, fake.openSinks.get());
        assertEquals(List.of(), fake.openSources);
    }

    @Test
    void deactivatingTheEngineDrainsItsRulesToo() throws Exception {
        fake.sinkDelayMillis = 2;
        createRule("r1", "demo", FAKE_SINK, RuleOptions.DEFAULT);
        SourceContext source = fake.openSources.get(0);
        for (int n = 0; n < 200; n++) {
            source.offer(message(n), LONG);
        }
        engine.deactivate();
        assertEquals(expected(200), fake.sent);
        fake.sinkDelayMillis = 0;
        engine = new RuleEngine(new MaskingPool(), dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.activate();
    }
}
