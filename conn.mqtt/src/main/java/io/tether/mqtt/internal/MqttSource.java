package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.io.RawMessage;
import io.tether.api.io.SourceContext;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.ConnectedSource;
import io.tether.api.kit.ConnectionScopes;
import io.tether.lib.mqtt.Subscriptions;

/**
 * A running MQTT source: attaches to its connection (the named one of {@code connectionSelector}, or an anonymous one
 * keyed by rule, operator and topic) and hands every message of its topic filter on, undecoded. A QoS 1 or 2 message
 * is handed on once the rule has room, however long that takes (the connection acknowledges it only then, so the
 * broker's in-flight window throttles delivery); a QoS 0 message, which nothing would send again, waits at most
 * {@link #QOS0_WAIT} and is dropped, counted by the rule.
 */
final class MqttSource extends ConnectedSource {
    /** How long a QoS 0 message waits for room in its rule: well under any keepAlive, as it holds up the connection. */
    static final Duration QOS0_WAIT = Duration.ofSeconds(1);
    /** How long an acknowledged message waits: until the rule takes it or stops. */
    static final Duration UNTIL_ACCEPTED = Duration.ofDays(365);

    private final MqttRuntime runtime;
    private final String filter;
    private final int qos;

    MqttSource(MqttRuntime runtime, String filter, int qos, Map<String, Object> props) {
        super(MqttConnectorFactory.TYPE, props);
        this.runtime = runtime;
        this.filter = filter;
        this.qos = qos;
    }

    @Override
    protected String anonymousKey(SourceContext context) {
        return AnonymousKeys.perNode(context, filter);
    }

    @Override
    protected AutoCloseable consume(ConnectionHandle handle, SourceContext context) {
        ConnectionScopes.Lease<ConnectionScope> scope = runtime.scopes().acquire(handle.connectionId());
        Runnable unsubscribe = scope.state().subscriptions.add(filter, qos, new Subscriptions.Subscriber() {
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
        return () -> {
            unsubscribe.run();
            scope.close();
        };
    }
}
