package io.tether.rule.internal.runtime;

import java.nio.file.Path;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorComponents;
import io.tether.testkit.TestPool;

/**
 * The real pool with conn.mqtt's connector, and an active rule engine over them with conn.mqtt's source and sink,
 * created from the bundle's components as the framework creates them: for the end-to-end tests and the benchmark.
 * Keeps its data under a directory of the caller's, which is also the home the engine reads
 * {@code etc/sources/<type>.yaml} from.
 */
final class RulesOverMqtt implements AutoCloseable {
    final TestPool pool;
    final RuleEngine engine;
    private final ConnectorComponents mqtt = ConnectorComponents.load("mqtt");

    RulesOverMqtt(Path directory) {
        pool = TestPool.builder().runtimeTimings().dataDirectory(directory.resolve("pool")).build();
        mqtt.installIn(pool);
        engine = new RuleEngine(pool, directory.resolve("rules"), directory, new PrometheusRegistry());
        engine.addSourceProvider(mqtt.sourceProvider(), mqtt.properties(SourceProvider.class));
        engine.addSinkProvider(mqtt.sinkProvider(), mqtt.properties(SinkProvider.class));
        engine.activate();
    }

    @Override
    public void close() {
        engine.deactivate();
        pool.close();
        mqtt.close();
    }
}
