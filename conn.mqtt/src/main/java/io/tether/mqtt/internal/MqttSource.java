package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.io.RawMessage;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.lib.mqtt.Subscriptions;

/**
 * A running MQTT source: attaches to its connection (the named one of {@code connectionSelector}, or an anonymous one
 * keyed by rule, operator and topic) and hands every message of its topic filter on, undecoded. A QoS 1 or 2 message
 * is handed on once the rule has room, however long that takes (the connection acknowledges it only then, so the
 * broker's in-flight window throttles delivery); a QoS 0 message, which nothing would send again, waits at most
 * {@link #QOS0_WAIT} and is dropped, counted by the rule.
 */
final class MqttSource implements Source {
    /** How long a QoS 0 message waits for room in its rule: well under any keepAlive, as it holds up the connection. */
    static final Duration QOS0_WAIT = Duration.ofSeconds(1);
    /** How long an acknowledged message waits: until the rule takes it or stops. */
    static final Duration UNTIL_ACCEPTED = Duration.ofDays(365);

    private final MqttRuntime runtime;
    private final String filter;
    private final int qos;
    private final Map<String, Object> props;
    private ConnectionHandle handle;
    private ConnectionScopes.Lease<ConnectionScope> scope;
    private Runnable unsubscribe;

    MqttSource(MqttRuntime runtime, String filter, int qos, Map<String, Object> props) {
        this.runtime = runtime;
        this.filter = filter;
        this.qos = qos;
        this.props = Map.copyOf(props);
    }

    @Override
    public void open(SourceContext context) {
        handle = context.pool().attach(context.ruleId(), AnonymousKeys.perNode(context, filter),
                MqttConnectorFactory.TYPE, props, context.connectionStatusListener());
        scope = runtime.scopes().acquire(handle.connectionId());
        unsubscribe = scope.state().subscriptions.add(filter, qos, new Subscriptions.Subscriber() {
            @Override
            public void message(RawMessage message) throws InterruptedException {
                boolean acknowledged = !Integer.valueOf(0).equals(message.meta().get("qos"));
                context.offer(message, acknowledged ? UNTIL_ACCEPTED : QOS0_WAIT);
            }

            @Override
            public void dropped(RawMessage message, String reason) {
                context.reportError(new IllegalStateException(
                        "dropped a message of " + message.meta().get("topic") + ": " + reason));
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
            scope.close();
            scope = null;
        }
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }
}
