package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.testkit.TestPool;

/**
 * A connector bundle registers its source and sink providers (seen by the rule layer) and its connector factory
 * (seen by the pool, and by the rule layer) in any order, and a stopping bundle unregisters them in any order: the
 * rules on its type run once all are there, whatever came first, and wait meanwhile with the reason in their status.
 */
class RulesFollowTheirConnectionTypeTest {
    private static final Map<String, Object> LOOP = Map.of(ConnectorFactory.TYPE_PROPERTY, LoopConnector.TYPE);
    private static final String SOURCE_STATUS = "source_demo_0_connection_status";
    private static final String SINK_STATUS = "sink_loop_0_connection_status";
    private static final String NOT_INSTALLED = "connector type 'loop' is not installed";

    @TempDir
    Path dataDirectory;
    private final LoopConnector loop = new LoopConnector();
    private final TestPool pool = TestPool.create();
    private RuleEngine engine;

    @BeforeEach
    void start() {
        engine = new RuleEngine(pool, dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.activate();
    }

    @AfterEach
    void stop() {
        engine.deactivate();
        pool.close();
    }

    /** The factory service registering, as the pool and the rule layer each hear of it. */
    private void factoryRegistered() {
        pool.addType(LoopConnector.TYPE, loop);
        engine.addConnectorFactory(LOOP);
    }

    private void factoryUnregistered() {
        engine.removeConnectorFactory(LOOP);
        pool.removeType(LoopConnector.TYPE);
    }

    private void providersRegistered() {
        engine.addSourceProvider(loop, LOOP);
        engine.addSinkProvider(loop, LOOP);
    }

    private void providersUnregistered() {
        engine.removeSourceProvider(loop, LOOP);
        engine.removeSinkProvider(loop, LOOP);
    }

    private void createRule() {
        engine.createStream("CREATE STREAM demo () WITH (TYPE=\"loop\", DATASOURCE=\"t\")");
        engine.createRule(new RuleDefinition("r1", "SELECT * FROM demo",
                List.of(new Action(LoopConnector.TYPE, Map.of("sendSingle", true))), true));
    }

    private Object status(String key) {
        return engine.status("r1").get(key);
    }

    /** What is published now goes through the rule: it is awaited at the sink. */
    private void flows(String json) throws InterruptedException {
        int before = loop.sent.size();
        RuleEngineTest.await(() -> {
            loop.publish(json);
            return loop.sent.size() > before;
        });
        assertEquals(json, loop.sent.get(loop.sent.size() - 1));
    }

    private void runsConnected() throws InterruptedException {
        RuleEngineTest.await(() -> "running".equals(status("status"))
                && Integer.valueOf(1).equals(status(SOURCE_STATUS)) && Integer.valueOf(1).equals(status(SINK_STATUS)));
    }

    @Test
    void aRuleWhoseProvidersCameBeforeTheFactoryRunsOnceTheFactoryComes() throws Exception {
        providersRegistered();
        createRule();
        String waiting = (String) status("status");
        assertTrue(waiting.startsWith("stopped: " + NOT_INSTALLED), waiting);
        assertEquals(List.of(), pool.list(true));

        factoryRegistered();
        runsConnected();
        flows("{\"a\":1}");
    }

    /** The reverse order: the factory is back first, the rule layer's nodes wait for their providers. */
    @Test
    void aRunningRuleWhoseFactoryCameBackBeforeItsProvidersResumesWhenTheyCome() throws Exception {
        providersRegistered();
        factoryRegistered();
        createRule();
        runsConnected();

        providersUnregistered();
        factoryUnregistered();
        factoryRegistered();
        Map<String, Object> waiting = engine.status("r1");
        assertEquals("running", waiting.get("status"));
        assertEquals(-1, waiting.get(SOURCE_STATUS));
        assertEquals(NOT_INSTALLED, waiting.get("source_demo_0_connection_last_disconnected_message"));
        assertEquals(NOT_INSTALLED, waiting.get("sink_loop_0_connection_last_disconnected_message"));

        providersRegistered();
        runsConnected();
        flows("{\"a\":1}");
    }

    /** A stored rule comes up running when the engine starts before the type's bundle, whichever service is first. */
    @Test
    void aStoredRuleComesUpRunningWhateverOrderTheTypesServicesComeIn() throws Exception {
        providersRegistered();
        factoryRegistered();
        createRule();
        runsConnected();
        for (boolean providersFirst : new boolean[] {true, false}) {
            engine.deactivate();
            providersUnregistered();
            factoryUnregistered();

            engine = new RuleEngine(pool, dataDirectory, dataDirectory, new PrometheusRegistry());
            engine.activate();
            assertTrue(((String) status("status")).startsWith("stopped: " + NOT_INSTALLED));
            if (providersFirst) {
                providersRegistered();
                String waiting = (String) status("status");
                assertTrue(waiting.startsWith("stopped: " + NOT_INSTALLED + "; installed types: []"), waiting);
                factoryRegistered();
            } else {
                factoryRegistered();
                providersRegistered();
            }
            runsConnected();
            flows("{\"order\":\"" + (providersFirst ? "providers first" : "factory first") + "\"}");
        }
    }

    /** The pool parks the connections of a type that went, keeping the rule's nodes attached; they resume. */
    @Test
    void theFactoryLeavingParksTheRunningRuleAndItsReturnResumesIt() throws Exception {
        providersRegistered();
        factoryRegistered();
        createRule();
        runsConnected();
        flows("{\"a\":1}");

        factoryUnregistered();
        RuleEngineTest.await(() -> Integer.valueOf(-1).equals(status(SOURCE_STATUS))
                && Integer.valueOf(-1).equals(status(SINK_STATUS)));
        Map<String, Object> parked = engine.status("r1");
        assertEquals("running", parked.get("status"));
        assertEquals(NOT_INSTALLED, parked.get("source_demo_0_connection_last_disconnected_message"));
        assertEquals(NOT_INSTALLED, parked.get("sink_loop_0_connection_last_disconnected_message"));
        RuleEngineTest.await(() -> loop.publish("{\"a\":2}") == 0);

        factoryRegistered();
        runsConnected();
        flows("{\"a\":3}");
    }

    /**
     * A bundle that stops and starts again may register its providers before its factory: the rule's nodes, which
     * the pool then refuses, wait with the reason as their status and open when the factory comes.
     */
    @Test
    void nodesReopenedBeforeTheirFactoryReturnedOpenWhenItComes() throws Exception {
        providersRegistered();
        factoryRegistered();
        createRule();
        runsConnected();

        factoryUnregistered();
        providersUnregistered();
        assertEquals(List.of(), pool.list(true));
        providersRegistered();
        Map<String, Object> waiting = engine.status("r1");
        assertEquals("running", waiting.get("status"));
        assertEquals(-1, waiting.get(SOURCE_STATUS));
        assertEquals(-1, waiting.get(SINK_STATUS));
        assertTrue(((String) waiting.get("source_demo_0_connection_last_disconnected_message"))
                .startsWith(NOT_INSTALLED), waiting.toString());
        assertTrue(((String) waiting.get("sink_loop_0_connection_last_disconnected_message"))
                .startsWith(NOT_INSTALLED), waiting.toString());

        factoryRegistered();
        runsConnected();
        flows("{\"a\":1}");
    }

    /** The rule layer may hear of the factory before the pool does: it tries again until the pool has the type. */
    @Test
    void theRuleLayerHearingOfTheFactoryBeforeThePoolTriesAgainUntilThePoolHasIt() throws Exception {
        providersRegistered();
        createRule();
        engine.addConnectorFactory(LOOP);
        assertTrue(((String) status("status")).startsWith("stopped: " + NOT_INSTALLED));

        pool.addType(LoopConnector.TYPE, loop);
        runsConnected();
        flows("{\"a\":1}");
    }
}
