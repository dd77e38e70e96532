package io.tether.mqtt.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.pool.internal.registry.ConnectionRegistry;
import io.tether.pool.internal.registry.PoolObserver;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.StoreState;

/**
 * The real pool (core.pool's registry with its default backoff) with this bundle's factory, source and sink
 * providers wired in by hand, as DS wires them in the runtime.
 */
final class TestPool implements AutoCloseable {
    final MqttRuntime runtime = new MqttRuntime();
    final MqttConnectorFactory factory = new MqttConnectorFactory(runtime);
    final MqttSourceProvider sources = new MqttSourceProvider(runtime);
    final MqttSinkProvider sinks = new MqttSinkProvider();
    final ConnectionRegistry pool;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    TestPool(Path dataDirectory) {
        pool = new ConnectionRegistry(ConnectionRegistry.Settings.DEFAULT, new ConnectionStore(dataDirectory),
                PoolObserver.NONE, timers, workers, Math::random, System::currentTimeMillis);
        pool.load(StoreState.EMPTY, List.of());
        pool.factoryAdded(MqttConnectorFactory.TYPE, factory, 0, 1);
    }

    /** Waits until the connection reports the state, and returns what it reported. */
    ConnectionInfo awaitStatus(String id, Status status) {
        Waits.until("connection " + id + " " + status.text(), Waits.PATIENCE,
                () -> pool.get(id).map(info -> info.status().status() == status).orElse(false),
                () -> pool.get(id).map(info -> info.status().status().text() + " " + info.status().err()));
        return pool.get(id).orElseThrow();
    }

    /** The filters the connection's live session has subscribed on the broker. */
    Map<String, Integer> wireFilters(String connectionId) {
        return runtime.scopes().find(connectionId).map(scope -> scope.subscriptions.wireFilters()).orElse(Map.of());
    }

    /** Opens a source of the rule on the topic filter with the props. */
    TestNode source(String ruleId, String filter, Map<String, Object> props) throws Exception {
        return source(ruleId, filter, props, 0);
    }

    /** Opens a source of the rule whose buffer holds {@code capacity} messages not taken yet (0: unbounded). */
    TestNode source(String ruleId, String filter, Map<String, Object> props, int capacity) throws Exception {
        TestNode node = new TestNode(ruleId, "source_" + ruleId, pool, capacity);
        Source source = sources.create(filter, props);
        source.open(node);
        node.closeWith(source::close);
        return node;
    }

    /** Opens a sink of the rule; {@link TestNode#sink()} publishes through it. */
    TestNode sink(String ruleId, Map<String, Object> props) throws Exception {
        TestNode node = new TestNode(ruleId, "sink_mqtt_0", pool);
        Sink sink = sinks.create(props);
        sink.open(node);
        node.withSink(sink);
        node.closeWith(sink::close);
        return node;
    }

    @Override
    public void close() throws InterruptedException {
        pool.close();
        timers.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        runtime.stop();
    }
}
