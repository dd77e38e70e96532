package io.tether.mqtt.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * The testkit's pool with this bundle's factory, source and sink providers wired in by hand, as DS wires them in the
 * runtime.
 */
final class MqttPool implements AutoCloseable {
    final MqttRuntime runtime = new MqttRuntime();
    final MqttConnectorFactory factory = new MqttConnectorFactory(runtime);
    final MqttSourceProvider sources = new MqttSourceProvider(runtime);
    final MqttSinkProvider sinks = new MqttSinkProvider();
    final TestPool pool;

    /**
     * Without the type's schema, so that the connector's own validation meets bad props; with a worker thread per
     * connection at most, so that the hundreds of closes of the footprint test run at once (Paho takes its time);
     * dials bounded by 10 s (a connect through a frozen proxy waits that long for its CONNACK), within the tests'
     * waits for a reconnect.
     *
     * @param dataDirectory where the pool keeps its store
     */
    MqttPool(Path dataDirectory) {
        pool = TestPool.builder().dataDirectory(dataDirectory).maxThreads(1000).dialTimeout(Duration.ofSeconds(10))
                .build().addType(MqttConnectorFactory.TYPE, factory);
    }

    /** Waits until the connection reports the state, and returns what it reported. */
    ConnectionInfo awaitStatus(String id, Status status) {
        return pool.awaitStatus(id, status);
    }

    /** The filters the connection's live session has subscribed on the broker. */
    Map<String, Integer> wireFilters(String connectionId) {
        return runtime.scopes().find(connectionId).map(scope -> scope.subscriptions.wireFilters()).orElse(Map.of());
    }

    /** Opens a source of the rule on the topic filter with the props. */
    RecordingSourceContext source(String ruleId, String filter, Map<String, Object> props) throws Exception {
        return source(ruleId, filter, props, 0);
    }

    /** Opens a source of the rule whose buffer holds {@code capacity} messages not taken yet (0: unbounded). */
    RecordingSourceContext source(String ruleId, String filter, Map<String, Object> props, int capacity)
            throws Exception {
        return new RecordingSourceContext(pool, ruleId, "source_" + ruleId, capacity)
                .open(sources.create(filter, props));
    }

    /** Opens a sink of the rule (one JSON object per record); {@link RecordingSinkContext#sink()} publishes. */
    RecordingSinkContext sink(String ruleId, Map<String, Object> props) throws Exception {
        return new RecordingSinkContext(pool, ruleId, "sink_mqtt_0", true).open(sinks.create(props));
    }

    @Override
    public void close() {
        pool.close();
        runtime.stop();
    }
}
