package io.tether.rule.internal.runtime;

import static io.tether.rule.internal.runtime.RuleEngineTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;

class SinkCacheEngineTest {
    private static final String STREAM = "CREATE STREAM demo () WITH (TYPE=\"fake\", DATASOURCE=\"t\")";
    private static final Map<String, Object> FAKE_TYPE = Map.of(ConnectorFactory.TYPE_PROPERTY, "fake");

    @TempDir
    Path dataDirectory;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<RuleEngine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() {
        engines.forEach(RuleEngine::deactivate);
    }

    private RuleEngine engine(FakeConnector fake) {
        RuleEngine engine = new RuleEngine(new MaskingPool(), dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.addSourceProvider(fake, FAKE_TYPE);
        engine.addSinkProvider(fake, FAKE_TYPE);
        engine.activate();
        engines.add(engine);
        if (!engine.streamNames().contains("demo")) {
            engine.createStream(STREAM);
        }
        return engine;
    }

    private static RuleDefinition cachedRule(Object... props) {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("sendSingle", true, "enableCache", true));
        for (int i = 0; i < props.length; i += 2) {
            all.put((String) props[i], props[i + 1]);
        }
        return new RuleDefinition("r1", "SELECT n FROM demo", List.of(new Action("fake", all)), true);
    }

    private static void publish(FakeConnector fake, int from, int to) {
        IntStream.range(from, to).forEach(n -> fake.publish("{\"n\": " + n + "}"));
    }

    private static List<String> messages(int from, int to) {
        return IntStream.range(from, to).mapToObj(n -> "{\"n\":" + n + "}").toList();
    }

    private static long metric(RuleEngine engine, String key) {
        return ((Number) engine.status("r1").getOrDefault(key, -1L)).longValue();
    }

    private long pageFiles() throws IOException {
        Path directory = dataDirectory.resolve("cache/r1/sink_fake_0");
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".json")).count();
        }
    }

    @Test
    void whileTheConnectionIsDownEmissionsSpillToDiskAndAreResentInOrderWhenItIsBack() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule("memoryCacheThreshold", 4, "bufferPageSize", 2));
        publish(fake, 0, 2);
        await(() -> fake.sent.size() == 2);

        fake.down();
        publish(fake, 2, 14);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 12);
        assertEquals(4, pageFiles(), "4 in memory, 4 pages of 2 on disk, 0 in the page being filled");
        assertEquals(1, metric(engine, "sink_fake_0_exceptions_total"),
                "the first failed; the others waited behind it, not resent while the connection is down");
        fake.up();
        await(() -> fake.sent.size() == 14);
        assertEquals(messages(0, 14), fake.sent);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 0);
        assertEquals(12, metric(engine, "sink_fake_0_cache_resent_total"));
        assertEquals(14, metric(engine, "sink_fake_0_records_out_total"));
        assertEquals(0, pageFiles());

        publish(fake, 14, 16);
        await(() -> fake.sent.size() == 16);
        assertEquals(messages(0, 16), fake.sent);
    }

    @Test
    void anEmissionLeavesTheCacheOnlyOnceItsSendIsAcknowledged() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule());
        fake.sinkAcksLater = true;
        publish(fake, 0, 3);
        await(() -> fake.unacknowledged.size() == 3);
        fake.acknowledge(1);
        fake.down();
        fake.loseUnacknowledged();
        await(() -> metric(engine, "sink_fake_0_cache_length") == 2);

        fake.up();
        await(() -> fake.unacknowledged.size() == 1);
        assertEquals(2, metric(engine, "sink_fake_0_cache_length"), "resent, not yet acknowledged");
        fake.acknowledge(1);
        await(() -> fake.unacknowledged.size() == 1);
        assertEquals(1, metric(engine, "sink_fake_0_cache_length"));
        fake.acknowledge(1);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 0);
        assertEquals(messages(0, 3), fake.sent);
        assertEquals(2, metric(engine, "sink_fake_0_cache_resent_total"));
    }

    @Test
    void aPermanentFailureIsCountedAndNotRetried() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule());
        fake.sinkRefusal = "400 bad request";
        publish(fake, 0, 1);
        await(() -> metric(engine, "sink_fake_0_exceptions_total") == 1);
        assertEquals("400 bad request", engine.status("r1").get("sink_fake_0_last_exception"));
        assertEquals(0, metric(engine, "sink_fake_0_cache_length"));
        fake.sinkRefusal = null;
        fake.down();
        fake.up();
        publish(fake, 1, 2);
        await(() -> fake.sent.size() == 1);
        assertEquals(messages(1, 2), fake.sent);
        assertEquals(0, metric(engine, "sink_fake_0_cache_resent_total"));
    }

    @Test
    void aResendRefusedForGoodIsDroppedAndTheRestGoesOn() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule());
        fake.down();
        publish(fake, 0, 3);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 3);
        fake.sinkRefusal = "409 conflict";
        fake.up();
        await(() -> metric(engine, "sink_fake_0_cache_length") == 0);
        assertEquals(4, metric(engine, "sink_fake_0_exceptions_total"));
        assertEquals(0, metric(engine, "sink_fake_0_cache_resent_total"));
    }

    @Test
    void withoutCacheAFailedEmissionIsCountedAndForgotten() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(new RuleDefinition("r1", "SELECT n FROM demo",
                List.of(new Action("fake", Map.of("sendSingle", true))), true));
        fake.down();
        publish(fake, 0, 2);
        await(() -> metric(engine, "sink_fake_0_exceptions_total") == 2);
        assertEquals("fake is not connected", engine.status("r1").get("sink_fake_0_last_exception"));
        assertFalse(engine.status("r1").containsKey("sink_fake_0_cache_length"));
        fake.up();
        publish(fake, 2, 3);
        await(() -> fake.sent.size() == 1);
        assertEquals(messages(2, 3), fake.sent);
    }

    @Test
    void aFullDiskCacheDropsTheOldestAndCountsThem() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule("memoryCacheThreshold", 0, "bufferPageSize", 2, "maxDiskCache", 4));
        fake.down();
        publish(fake, 0, 9);
        await(() -> metric(engine, "sink_fake_0_records_in_total") == 9);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 5);
        assertEquals(4, metric(engine, "sink_fake_0_cache_dropped_total"));
        fake.up();
        await(() -> fake.sent.size() == 5);
        assertEquals(messages(4, 9), fake.sent);
    }

    @Test
    void theDiskCacheIsResentAfterACrash() throws Exception {
        FakeConnector crashed = new FakeConnector();
        RuleEngine first = engine(crashed);
        first.createRule(cachedRule("memoryCacheThreshold", 2, "bufferPageSize", 2));
        crashed.down();
        publish(crashed, 0, 7);
        await(() -> metric(first, "sink_fake_0_cache_length") == 7);
        // the first engine is never stopped: as after SIGKILL, only the pages on disk remain for the next one
        FakeConnector fake = new FakeConnector();
        RuleEngine second = engine(fake);
        await(() -> fake.sent.size() == 4);
        assertEquals(messages(2, 6), fake.sent);
        await(() -> metric(second, "sink_fake_0_cache_length") == 0);
        assertEquals(0, pageFiles());
    }

    @Test
    void aGracefulStopKeepsTheWholeCacheForTheNextStart() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule("memoryCacheThreshold", 4, "bufferPageSize", 2));
        fake.down();
        publish(fake, 0, 7);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 7);
        engine.deactivate();
        engines.remove(engine);

        FakeConnector restarted = new FakeConnector();
        RuleEngine second = engine(restarted);
        await(() -> restarted.sent.size() == 7);
        assertEquals(messages(0, 7), restarted.sent);
        await(() -> metric(second, "sink_fake_0_cache_length") == 0);
    }

    @Test
    void cleanCacheAtStopDeletesTheCache() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule("memoryCacheThreshold", 0, "bufferPageSize", 1, "cleanCacheAtStop", true));
        fake.down();
        publish(fake, 0, 3);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 3);
        engine.stop("r1");
        assertFalse(Files.exists(dataDirectory.resolve("cache/r1/sink_fake_0")));
        fake.sinkDown = false;
        engine.start("r1");
        assertEquals(0, metric(engine, "sink_fake_0_cache_length"));
        publish(fake, 3, 4);
        await(() -> fake.sent.size() == 1);
        assertEquals(messages(3, 4), fake.sent);
    }

    @Test
    void resentRecordsCarryTheIndicatorField() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        engine.createRule(cachedRule("resendIndicatorField", "resent"));
        fake.down();
        publish(fake, 0, 1);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 1);
        fake.up();
        await(() -> metric(engine, "sink_fake_0_cache_length") == 0);
        publish(fake, 1, 2);
        await(() -> fake.sent.size() == 2);
        assertEquals(List.of("{\"n\":0,\"resent\":true}", "{\"n\":1}"), fake.sent);
    }

    @Test
    void cachePropsAreValidatedAndNotPassedToTheSink() {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = engine(fake);
        for (Object[] bad : List.of(new Object[] {"enableCache", "yes"}, new Object[] {"memoryCacheThreshold", -1},
                new Object[] {"bufferPageSize", 0}, new Object[] {"maxDiskCache", 1.5},
                new Object[] {"resendInterval", "1s"}, new Object[] {"resendPriority", 2},
                new Object[] {"resendIndicatorField", 3}, new Object[] {"cleanCacheAtStop", 1},
                new Object[] {"resendAlterQueue", true})) {
            RuleException e = assertThrows(RuleException.class, () -> engine.createRule(cachedRule(bad)));
            assertEquals(RuleException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().startsWith("invalid props of action fake: " + bad[0]), e.getMessage());
        }
        RuleException e = assertThrows(RuleException.class,
                () -> engine.createRule(cachedRule("bufferPageSize", 10, "maxDiskCache", 5)));
        assertEquals("invalid props of action fake: maxDiskCache must be at least bufferPageSize (10), not 5",
                e.getMessage());
        engine.createRule(cachedRule("resendPriority", -1, "resendInterval", 10, "maxDiskCache", 1000));
        assertEquals(Map.of("sendSingle", true), fake.lastSinkProps);
    }

    @Test
    void cacheMetricsAreInPrometheusWhileTheRuleRunsAndTheStopLeavesNothingRunning() throws Exception {
        FakeConnector fake = new FakeConnector();
        RuleEngine engine = new RuleEngine(new MaskingPool(), dataDirectory, dataDirectory, registry);
        engine.addSourceProvider(fake, FAKE_TYPE);
        engine.addSinkProvider(fake, FAKE_TYPE);
        engine.activate();
        engine.createStream(STREAM);
        engine.createRule(cachedRule());
        fake.down();
        publish(fake, 0, 2);
        await(() -> metric(engine, "sink_fake_0_cache_length") == 2);
        assertEquals(2.0, prometheus("kuiper_sink_cache_length"));
        fake.up();
        await(() -> metric(engine, "sink_fake_0_cache_length") == 0);
        assertEquals(2.0, prometheus("kuiper_sink_cache_resent"));

        engine.stop("r1");
        assertEquals(0.0, prometheus("kuiper_sink_cache_length"), "the series went with the rule");
        assertTrue(engine.cacheSchedulerIdle());
        engine.deactivate();
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("tether-sink-cache") && thread.isAlive()));
    }

    private double prometheus(String name) {
        return registry.scrape().stream().filter(snapshot -> snapshot.getMetadata().getName().equals(name))
                .flatMap(snapshot -> snapshot.getDataPoints().stream())
                .mapToDouble(point -> point instanceof io.prometheus.metrics.model.snapshots.GaugeSnapshot
                        .GaugeDataPointSnapshot gauge ? gauge.getValue()
                        : ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) point)
                                .getValue())
                .sum();
    }
}
