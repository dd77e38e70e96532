package io.tether.mqtt.internal;

import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;

/**
 * A running MQTT source: attaches to its connection (the named one of {@code connectionSelector}, or an anonymous one
 * keyed by rule, operator and topic) and hands every message of its topic filter on, undecoded.
 */
final class MqttSource implements Source {
    private final MqttRuntime runtime;
    private final String filter;
    private final int qos;
    private final Map<String, Object> props;
    private ConnectionHandle handle;
    private ConnectionScope scope;
    private Runnable unsubscribe;

    MqttSource(MqttRuntime runtime, String filter, int qos, Map<String, Object> props) {
        this.runtime = runtime;
        this.filter = filter;
        this.qos = qos;
        this.props = Map.copyOf(props);
    }

    @Override
    public void open(SourceContext context) {
        String key = context.ruleId() + "/" + context.operatorId() + "/" + filter;
        handle = context.pool().attach(context.ruleId(), key, MqttConnectorFactory.TYPE, props,
                context.connectionStatusListener());
        scope = runtime.acquire(handle.connectionId());
        unsubscribe = scope.subscriptions.add(filter, qos, new Subscriptions.Subscriber() {
            @Override
            public void message(RawMessage message) {
                context.emit(message);
            }

            @Override
            public void refused(String refusedFilter) {
                context.reportError(new IllegalStateException(
                        "the broker refused the subscription to " + refusedFilter));
            }
        });
    }

    @Override
    public void close() {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        if (scope != null) {
            runtime.release(scope);
            scope = null;
        }
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }
}
