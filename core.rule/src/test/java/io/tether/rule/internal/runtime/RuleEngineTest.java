package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

class RuleEngineTest {
    private static final String STREAM = "CREATE STREAM demo () WITH (TYPE=\"fake\", DATASOURCE=\"t\")";
    private static final String TYPED_STREAM =
            "CREATE STREAM typed (temperature FLOAT, id BIGINT) WITH (TYPE=\"fake\", DATASOURCE=\"t\")";
    private static final Map<String, Object> FAKE_TYPE = Map.of(ConnectorFactory.TYPE_PROPERTY, "fake");

    @TempDir
    Path dataDirectory;
    private final FakeConnector fake = new FakeConnector();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private RuleEngine engine;
    private final MaskingPool pool = new MaskingPool();

    @BeforeEach
    void start() {
        engine = newEngine();
        engine.createStream(STREAM);
    }

    @AfterEach
    void stop() {
        engine.deactivate();
    }

    private RuleEngine newEngine() {
        RuleEngine created = new RuleEngine(pool, dataDirectory, dataDirectory, registry);
        created.addSourceProvider(fake, FAKE_TYPE);
        created.addSinkProvider(fake, FAKE_TYPE);
        created.activate();
        return created;
    }

    /** Props that break the type's schema are refused naming the prop, before the provider sees them. */
    @Test
    void sourceAndSinkPropsAreCheckedByTheTypesSchemaFirst() {
        pool.schemaProblems.put("fake/sink", List.of(new PropError("retries", "string found, integer expected")));
        RuleException refused = assertThrows(RuleException.class, () -> engine.createRule(rule("r1",
                "SELECT * FROM demo", new Action("fake", Map.of("retries", "x")))));
        assertEquals("invalid props of action fake: retries: string found, integer expected", refused.getMessage());
        assertEquals(List.of(), engine.rules());

        pool.schemaProblems.put("fake/source", List.of(new PropError("optional.Qos",
                "does not have a value in the enumeration [0, 1, 2]")));
        RuleException badKey = assertThrows(RuleException.class, () -> engine.putConfKey("fake", "k1",
                Map.of("optional", Map.of("Qos", 7))));
        assertEquals("invalid props of conf key k1: optional.Qos: does not have a value in the enumeration [0, 1, 2]",
                badKey.getMessage());
        assertFalse(engine.confKeys("fake").containsKey("k1"));
    }

    private static RuleDefinition rule(String id, String sql, Action... actions) {
        return new RuleDefinition(id, sql, List.of(actions), true);
    }

    private static Action fakeSink(boolean sendSingle) {
        return new Action("fake", sendSingle ? Map.of("sendSingle", true) : Map.of());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void recordsAreFilteredProjectedAndEncoded() throws Exception {
        engine.createRule(rule("r1", "SELECT temperature, id AS device FROM demo WHERE temperature > 20",
                fakeSink(false)));
        fake.publish("{\"temperature\": 25, \"id\": \"a\", \"other\": 1}");
        fake.publish("{\"temperature\": 15, \"id\": \"b\"}");
        fake.publish("[{\"temperature\": 30, \"id\": \"c\"}, {\"temperature\": 31, \"id\": \"d\"}]");
        await(() -> fake.sent.size() == 3);
        assertEquals(List.of("[{\"temperature\":25,\"device\":\"a\"}]", "[{\"temperature\":30,\"device\":\"c\"}]",
                "[{\"temperature\":31,\"device\":\"d\"}]"), fake.sent);

        Map<String, Object> status = engine.status("r1");
        assertEquals("running", status.get("status"));
        assertEquals(3L, status.get("source_demo_0_records_in_total"));
        assertEquals(4L, status.get("source_demo_0_records_out_total"));
        assertEquals(3L, status.get("sink_fake_0_records_out_total"));
        assertEquals(1, status.get("source_demo_0_connection_status"));
        assertEquals(1000L, status.get("source_demo_0_connection_last_connected_time"));
    }

    @Test
    void sendSingleSendsOneObjectPerRecord() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(true)));
        fake.publish("[{\"a\": 1}, {\"a\": 2}]");
        await(() -> fake.sent.size() == 2);
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), fake.sent);
    }

    @Test
    void failingRecordsAreCountedAndTheRuleGoesOn() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo WHERE temperature > 20", fakeSink(false)));
        fake.publish("not json");
        fake.publish("{\"humidity\": 3}");
        fake.sinkFailure = "sink is down";
        fake.publish("{\"temperature\": 30}");
        await(() -> Long.valueOf(1).equals(engine.status("r1").get("sink_fake_0_exceptions_total")));
        Map<String, Object> status = engine.status("r1");
        assertEquals("running", status.get("status"));
        assertEquals(1L, status.get("source_demo_0_exceptions_total"));
        assertTrue(((String) status.get("source_demo_0_last_exception")).startsWith("invalid JSON payload"));
        assertEquals(1L, status.get("op_select_0_exceptions_total"));
        assertEquals("field temperature is not found in the record", status.get("op_select_0_last_exception"));
        assertEquals("sink is down", status.get("sink_fake_0_last_exception"));

        fake.sinkFailure = null;
        fake.publish("{\"temperature\": 31}");
        await(() -> fake.sent.size() == 1);
    }

    @Test
    void withOverflowDropRecordsBeyondTheRulesBufferAreDroppedAndCounted() throws Exception {
        CountDownLatch slowSink = new CountDownLatch(1);
        fake.sinkGate = slowSink;
        engine.createRule(new RuleDefinition("r1", "SELECT * FROM demo", List.of(fakeSink(true)), true,
                new RuleOptions(2, RuleOptions.Overflow.DROP)));
        fake.publish("{\"n\": 0}");
        await(() -> fake.collecting.get() == 1);
        for (int n = 1; n <= 5; n++) {
            fake.publish("{\"n\": " + n + "}");
        }
        Map<String, Object> status = engine.status("r1");
        assertEquals(3L, status.get("source_demo_0_exceptions_total"));
        assertEquals("rule r1 is overloaded: its buffer of 2 records is full, record dropped "
                + "(options.bufferLength)", status.get("source_demo_0_last_exception"));
        slowSink.countDown();
        await(() -> fake.sent.size() == 3);
        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"), fake.sent);
    }

    @Test
    void stoppingReleasesSourcesAndSinksAndTheEngineItsThreads() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false), new Action("log", Map.of())));
        fake.publish("{\"a\": 1}");
        await(() -> fake.sent.size() == 1);
        assertTrue(ruleThreadsAlive());

        engine.stop("r1");
        assertEquals("stopped", engine.status("r1").get("status"));
        assertEquals(List.of(), fake.openSources);
        assertEquals(0, fake.openSinks.get());

        engine.start("r1");
        fake.publish("{\"a\": 2}");
        await(() -> fake.sent.size() == 2);
        engine.restart("r1");
        assertEquals(1, fake.openSources.size());
        assertEquals(1, fake.openSinks.get());

        engine.deactivate();
        assertEquals(List.of(), fake.openSources);
        await(() -> !ruleThreadsAlive());
        engine = newEngine();
    }

    /** Records that fan out to many rules are processed on a few shared threads, in order for each rule. */
    @Test
    void manyRulesShareAFewThreadsAndEachSeesItsRecordsInOrder() throws Exception {
        for (int r = 0; r < 50; r++) {
            engine.createRule(rule("r" + r, "SELECT n FROM demo", new Action("nop", Map.of())));
        }
        engine.createRule(rule("ordered", "SELECT n FROM demo", fakeSink(true)));
        for (int n = 0; n < 200; n++) {
            fake.publish("{\"n\": " + n + "}");
        }
        await(() -> fake.sent.size() == 200);
        assertEquals(java.util.stream.IntStream.range(0, 200).mapToObj(n -> "{\"n\":" + n + "}").toList(), fake.sent);
        long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("tether-rules-")).count();
        assertTrue(threads < 51 / 2, threads + " threads for 51 rules");
    }

    @Test
    void sinksThatWaitForTheirPeerDoNotHoldUpTheOtherRules() throws Exception {
        int waiting = Math.max(2, Runtime.getRuntime().availableProcessors()) + 1;
        for (int r = 0; r < waiting; r++) {
            engine.createRule(rule("waiting" + r, "SELECT * FROM demo", fakeSink(true)));
        }
        FakeConnector other = new FakeConnector();
        engine.addSinkProvider(other, Map.of(ConnectorFactory.TYPE_PROPERTY, "other"));
        engine.createRule(rule("free", "SELECT * FROM demo", new Action("other", Map.of())));
        fake.sinkDelayMillis = 20;
        fake.publish("{\"a\": 1}");
        await(() -> fake.sent.size() == waiting && other.sent.size() == 1);

        // the sinks were slow: now they wait, on more threads than the pool has workers, and the free rule goes on
        CountDownLatch peerAnswers = new CountDownLatch(1);
        fake.sinkGate = peerAnswers;
        fake.publish("{\"a\": 2}");
        await(() -> fake.collecting.get() == 2 * waiting);
        await(() -> other.sent.size() == 2);
        peerAnswers.countDown();
        await(() -> fake.sent.size() == 2 * waiting);
    }

    @Test
    void aSinkThatNeverReturnsDoesNotHoldUpTheStopOfItsRule() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        fake.sinkGate = never;
        try {
            engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(true)));
            fake.publish("{\"a\": 1}");
            await(() -> fake.collecting.get() == 1);
            long start = System.nanoTime();
            engine.stop("r1");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertEquals("stopped", engine.status("r1").get("status"));
            assertEquals(0, fake.openSinks.get());
        } finally {
            never.countDown();
        }
    }

    private static boolean ruleThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("tether-rules-") && thread.isAlive());
    }

    @Test
    void aFailedStartIsTheRulesStatus() {
        fake.sourceOpenFailure = "broker refused";
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        assertEquals("stopped: broker refused", engine.status("r1").get("status"));
        assertEquals(0, fake.openSinks.get());
        RuleException error = assertThrows(RuleException.class, () -> engine.start("r1"));
        assertEquals("rule r1 failed to start: broker refused", error.getMessage());

        fake.sourceOpenFailure = null;
        engine.start("r1");
        assertEquals("running", engine.status("r1").get("status"));
    }

    @Test
    void rulesAndStreamsSurviveARestartAndStoppedRulesStayStopped() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        engine.createRule(rule("r2", "SELECT * FROM demo", new Action("nop", Map.of())));
        engine.stop("r2");
        engine.deactivate();
        assertEquals(List.of(), fake.openSources);

        engine = newEngine();
        assertEquals(List.of("demo"), engine.streamNames());
        assertEquals(List.of(new RuleSummary("r1", "running"), new RuleSummary("r2", "stopped")), engine.rules());
        fake.publish("{\"a\": 1}");
        await(() -> fake.sent.size() == 1);
    }

    @Test
    void definitionsAreValidated() {
        assertEquals("source type 'kafka' is not installed; installed: fake, simulator",
                assertThrows(RuleException.class, () -> engine.createStream(
                        "CREATE STREAM k () WITH (TYPE=\"kafka\")")).getMessage());
        assertEquals(RuleException.Kind.CONFLICT,
                assertThrows(RuleException.class, () -> engine.createStream(STREAM)).kind());
        assertEquals("stream nope is not found", assertThrows(RuleException.class,
                () -> engine.createRule(rule("r1", "SELECT * FROM nope", fakeSink(false)))).getMessage());
        assertEquals("sink type 'kafka' is not installed; installed: fake, log, nop",
                assertThrows(RuleException.class, () -> engine.createRule(
                        rule("r1", "SELECT * FROM demo", new Action("kafka", Map.of())))).getMessage());
        assertEquals("invalid props of action fake: bad: bad is not allowed",
                assertThrows(RuleException.class, () -> engine.createRule(
                        rule("r1", "SELECT * FROM demo", new Action("fake", Map.of("bad", 1))))).getMessage());
        assertEquals("GROUP BY is not supported", assertThrows(RuleException.class, () -> engine.createRule(
                rule("r1", "SELECT * FROM demo GROUP BY a", fakeSink(false)))).getMessage());
        assertEquals("rule id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are "
                + "allowed", assertThrows(RuleException.class, () -> engine.createRule(
                        rule("a b", "SELECT * FROM demo", fakeSink(false)))).getMessage());
    }

    @Test
    void aTypedStreamConvertsRecordsAndCountsTheOnesThatDoNotFit() throws Exception {
        engine.createStream(TYPED_STREAM);
        engine.createRule(rule("r1", "SELECT * FROM typed", fakeSink(false)));
        fake.publish("{\"temperature\": 25, \"id\": 7, \"other\": 1}");
        fake.publish("{\"temperature\": 26, \"id\": \"seven\"}");
        fake.publish("{\"id\": 8}");
        await(() -> fake.sent.size() == 2);
        assertEquals(List.of("[{\"temperature\":25.0,\"id\":7}]", "[{\"id\":8}]"), fake.sent);
        Map<String, Object> status = engine.status("r1");
        assertEquals("running", status.get("status"));
        assertEquals(1L, status.get("source_typed_0_exceptions_total"));
        assertEquals("field id is declared bigint but got string \"seven\"",
                status.get("source_typed_0_last_exception"));
    }

    @Test
    void aRuleOverATypedStreamReadsDeclaredFieldsOnly() {
        engine.createStream(TYPED_STREAM);
        RuleException error = assertThrows(RuleException.class, () -> engine.createRule(
                rule("r1", "SELECT id FROM typed WHERE humidity > 1", fakeSink(false))));
        assertEquals(RuleException.Kind.INVALID, error.kind());
        assertEquals("unknown field humidity", error.getMessage());
    }

    @Test
    void functionsRunInRulesAndTheirFailuresAreCounted() throws Exception {
        engine.createRule(rule("r1",
                "SELECT upper(id) AS device, abs(temperature) FROM demo WHERE abs(temperature) > 20", fakeSink(false)));
        fake.publish("{\"temperature\": \"hot\", \"id\": \"a\"}");
        fake.publish("{\"temperature\": -25, \"id\": \"b\"}");
        await(() -> fake.sent.size() == 1);
        assertEquals(List.of("[{\"device\":\"B\",\"abs\":25}]"), fake.sent);
        Map<String, Object> status = engine.status("r1");
        assertEquals(1L, status.get("op_select_0_exceptions_total"));
        assertEquals("function abs expects a number as argument 1, not string \"hot\"",
                status.get("op_select_0_last_exception"));
        assertEquals("function abs expects 1 argument, not 2", assertThrows(RuleException.class,
                () -> engine.createRule(rule("r2", "SELECT abs(1, 2) FROM demo", fakeSink(false)))).getMessage());
    }

    @Test
    void sourcesGetThePropsOfTheirConfKey() throws Exception {
        java.nio.file.Files.createDirectories(dataDirectory.resolve("etc/sources"));
        java.nio.file.Files.writeString(dataDirectory.resolve("etc/sources/fake.yaml"),
                "default:\n  qos: 1\nkey1:\n  connectionSelector: conn1\n");
        engine.createStream("CREATE STREAM keyed () WITH (TYPE=\"fake\", CONF_KEY=\"key1\")");
        engine.createRule(rule("r1", "SELECT * FROM keyed", fakeSink(false)));
        assertEquals(Map.of("qos", 1, "connectionSelector", "conn1"), fake.lastSourceProps);

        engine.createStream("CREATE STREAM unknown_key () WITH (TYPE=\"fake\", CONF_KEY=\"key2\")");
        engine.createRule(rule("r2", "SELECT * FROM unknown_key", fakeSink(false)));
        assertEquals("stopped: conf key key2 of source type fake is not found", engine.status("r2").get("status"));
        assertEquals("connentionSelector is not supported: the prop is spelt connectionSelector",
                assertThrows(RuleException.class, () -> engine.createRule(rule("r3", "SELECT * FROM demo",
                        new Action("fake", Map.of("connentionSelector", "c"))))).getMessage());
    }

    @Test
    void rulesWaitForTheirConnectorTypeAndStartWhenItComes() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        engine.removeSourceProvider(fake, FAKE_TYPE);
        assertEquals("running", engine.status("r1").get("status"));
        assertEquals(List.of(), fake.openSources);
        assertEquals(1, fake.openSinks.get());

        engine.addSourceProvider(fake, FAKE_TYPE);
        assertEquals("running", engine.status("r1").get("status"));
        fake.publish("{\"a\": 1}");
        await(() -> fake.sent.size() == 1);

        engine.stop("r1");
        engine.removeSourceProvider(fake, FAKE_TYPE);
        assertThrows(RuleException.class, () -> engine.start("r1"));
        assertEquals("stopped: connector type 'fake' is not installed", engine.status("r1").get("status"));
        assertEquals(0, fake.openSinks.get());
        engine.addSourceProvider(fake, FAKE_TYPE);
        assertEquals("running", engine.status("r1").get("status"));
        fake.publish("{\"a\": 2}");
        await(() -> fake.sent.size() == 2);
    }

    @Test
    void aRunningRuleRecreatesTheNodesOfAConnectorTypeThatWentAndCameBack() throws Exception {
        FakeConnector other = new FakeConnector();
        Map<String, Object> otherType = Map.of(ConnectorFactory.TYPE_PROPERTY, "other");
        engine.addSinkProvider(other, otherType);
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(true), new Action("other", Map.of())));

        engine.removeSinkProvider(fake, FAKE_TYPE);
        Map<String, Object> status = engine.status("r1");
        assertEquals("running", status.get("status"));
        assertEquals(-1, status.get("sink_fake_0_connection_status"));
        assertEquals("connector type 'fake' is not installed",
                status.get("sink_fake_0_connection_last_disconnected_message"));
        assertEquals(Map.of("r1/fake/sink_fake_0/0", -1.0), gaugeValues("kuiper_sink_connection_status"));
        assertEquals(0, fake.openSinks.get());
        // what the rule accepted while the sink's type was away is held, and sent when it returns
        fake.publish("{\"a\": 1}");
        await(() -> other.sent.size() == 1);
        assertEquals(List.of(), fake.sent);
        assertEquals(0L, engine.status("r1").get("sink_fake_0_exceptions_total"));

        engine.addSinkProvider(fake, FAKE_TYPE);
        assertEquals(1, fake.openSinks.get());
        fake.publish("{\"a\": 2}");
        await(() -> fake.sent.size() == 2 && other.sent.size() == 2);
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), fake.sent);

        fake.openSources.get(0).saveState(Map.of("index", 7));
        engine.removeSourceProvider(fake, FAKE_TYPE);
        status = engine.status("r1");
        assertEquals("running", status.get("status"));
        assertEquals(-1, status.get("source_demo_0_connection_status"));
        assertEquals("connector type 'fake' is not installed",
                status.get("source_demo_0_connection_last_disconnected_message"));
        assertEquals(Map.of("r1/fake/source_demo/0", -1.0), gaugeValues("kuiper_source_connection_status"));
        assertEquals(List.of(), fake.openSources);

        engine.addSourceProvider(fake, FAKE_TYPE);
        assertEquals(1, engine.status("r1").get("source_demo_0_connection_status"));
        assertEquals(Map.of("index", 7), fake.lastStateAtOpen);
        fake.publish("{\"a\": 3}");
        await(() -> fake.sent.size() == 3 && other.sent.size() == 3);
        assertEquals("{\"a\":3}", fake.sent.get(2));
    }

    @Test
    void nodesMoveToTheBestRankedProviderOfTheirTypeAndBackWithNoGap() throws Exception {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(true)));
        FakeConnector better = new FakeConnector();
        Map<String, Object> betterFake = Map.of(ConnectorFactory.TYPE_PROPERTY, "fake",
                Constants.SERVICE_RANKING, 10, Constants.SERVICE_ID, 99L);
        engine.addSourceProvider(better, betterFake);
        engine.addSinkProvider(better, betterFake);
        assertEquals(List.of(), fake.openSources);
        assertEquals(0, fake.openSinks.get());
        better.publish("{\"a\": 1}");
        await(() -> better.sent.size() == 1);

        engine.removeSourceProvider(better, betterFake);
        engine.removeSinkProvider(better, betterFake);
        Map<String, Object> status = engine.status("r1");
        assertEquals(1, status.get("source_demo_0_connection_status"));
        assertEquals(1, fake.openSinks.get());
        fake.publish("{\"a\": 2}");
        await(() -> fake.sent.size() == 1);
        assertEquals(List.of("{\"a\":2}"), fake.sent);

        FakeConnector worse = new FakeConnector();
        Map<String, Object> worseFake = Map.of(ConnectorFactory.TYPE_PROPERTY, "fake",
                Constants.SERVICE_RANKING, -1, Constants.SERVICE_ID, 100L);
        engine.addSourceProvider(worse, worseFake);
        assertEquals(List.of(), worse.openSources);
        assertEquals(1, fake.openSources.size());
    }

    @Test
    void connectionStatusIsExportedToPrometheusWhileTheRuleRuns() {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        assertEquals(Map.of("r1/fake/source_demo/0", 1.0), gaugeValues("kuiper_source_connection_status"));
        engine.stop("r1");
        assertEquals(Map.of(), gaugeValues("kuiper_source_connection_status"));
    }

    private Map<String, Double> gaugeValues(String name) {
        GaugeSnapshot gauge = (GaugeSnapshot) registry.scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        return gauge.getDataPoints().stream().collect(Collectors.toMap(point -> point.getLabels().get("rule") + "/"
                + point.getLabels().get("type") + "/" + point.getLabels().get("op") + "/"
                + point.getLabels().get("op_instance"), point -> point.getValue()));
    }

    @Test
    void sourceStateIsKeptAcrossRestartsUntilTheRuleIsDeleted() {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        assertEquals(Map.of(), fake.lastStateAtOpen);
        fake.openSources.get(0).saveState(Map.of("index", 42));
        engine.restart("r1");
        assertEquals(Map.of("index", 42), fake.lastStateAtOpen);

        engine.deactivate();
        engine = newEngine();
        assertEquals(Map.of("index", 42), fake.lastStateAtOpen);

        engine.deleteRule("r1");
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        assertEquals(Map.of(), fake.lastStateAtOpen);
    }

    @Test
    void aSharedStreamHasOneSourceForAllItsRules() throws Exception {
        engine.createStream("CREATE STREAM shared () WITH (TYPE=\"fake\", SHARED=\"true\")");
        engine.createRule(rule("r1", "SELECT a FROM shared WHERE a > 1", fakeSink(true)));
        engine.createRule(rule("r2", "SELECT a AS b FROM shared", fakeSink(true)));
        assertEquals(1, fake.openSources.size());
        assertEquals("stream:shared", fake.openSources.get(0).ruleId());
        assertEquals(1, engine.status("r2").get("source_shared_0_connection_status"));

        fake.publish("{\"a\": 1}");
        fake.publish("{\"a\": 2}");
        await(() -> fake.sent.size() == 3);
        assertEquals(java.util.Set.of("{\"a\":2}", "{\"b\":1}", "{\"b\":2}"), java.util.Set.copyOf(fake.sent));
        assertEquals(2L, engine.status("r1").get("source_shared_0_records_in_total"));

        engine.stop("r1");
        assertEquals(1, fake.openSources.size());
        engine.stop("r2");
        assertEquals(List.of(), fake.openSources);
        engine.start("r2");
        assertEquals(1, fake.openSources.size());
    }

    @Test
    void aStreamInUseCannotBeDeleted() {
        engine.createRule(rule("r1", "SELECT * FROM demo", fakeSink(false)));
        RuleException error = assertThrows(RuleException.class, () -> engine.deleteStream("demo"));
        assertEquals(RuleException.Kind.CONFLICT, error.kind());
        assertEquals("stream demo is used by rules r1", error.getMessage());
        engine.deleteRule("r1");
        engine.deleteStream("demo");
        assertEquals(List.of(), engine.streamNames());
    }

    @Test
    void updatingARunningRuleRestartsItWithTheNewDefinition() throws Exception {
        engine.createRule(rule("r1", "SELECT a FROM demo", fakeSink(false)));
        engine.updateRule(new RuleDefinition("r1", "SELECT a AS b FROM demo", List.of(fakeSink(true)), false));
        assertEquals("running", engine.status("r1").get("status"));
        assertEquals(1, fake.openSources.size());
        fake.publish("{\"a\": 1}");
        await(() -> fake.sent.size() == 1);
        assertEquals("{\"b\":1}", fake.sent.get(0));
    }
}
