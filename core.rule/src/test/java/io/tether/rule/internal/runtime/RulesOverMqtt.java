package io.tether.rule.internal.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.mqtt.internal.MqttConnectorFactory;
import io.tether.mqtt.internal.MqttRuntime;
import io.tether.mqtt.internal.MqttSinkProvider;
import io.tether.mqtt.internal.MqttSourceProvider;
import io.tether.pool.internal.registry.ConnectionRegistry;
import io.tether.pool.internal.registry.PoolObserver;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.StoreState;

/**
 * The real pool with conn.mqtt's connector, and an active rule engine over them with conn.mqtt's source and sink,
 * as the framework wires them: for the end-to-end tests and the benchmark. Keeps its data under a directory of the
 * caller's, which is also the home the engine reads {@code etc/sources/<type>.yaml} from.
 */
final class RulesOverMqtt implements AutoCloseable {
    private static final Map<String, Object> MQTT = Map.of(ConnectorFactory.TYPE_PROPERTY, "mqtt");

    final ConnectionRegistry pool;
    final RuleEngine engine;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    RulesOverMqtt(Path directory) {
        pool = new ConnectionRegistry(ConnectionRegistry.Settings.DEFAULT,
                new ConnectionStore(directory.resolve("pool")), PoolObserver.NONE, timers, workers, Math::random,
                System::currentTimeMillis);
        pool.load(StoreState.EMPTY, List.of());
        MqttRuntime runtime = new MqttRuntime();
        pool.factoryAdded("mqtt", new MqttConnectorFactory(runtime), 0, 1);
        engine = new RuleEngine(pool, directory.resolve("rules"), directory, new PrometheusRegistry());
        engine.addSourceProvider(new MqttSourceProvider(runtime), MQTT);
        engine.addSinkProvider(new MqttSinkProvider(), MQTT);
        engine.activate();
    }

    @Override
    public void close() {
        engine.deactivate();
        pool.close();
        timers.shutdownNow();
        workers.shutdownNow();
    }
}
