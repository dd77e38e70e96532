package io.tether.edgex.internal;

import java.time.Duration;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.io.Acceptance;
import io.tether.api.io.SourceContext;
import io.tether.api.kit.ConnectedSource;
import io.tether.api.kit.ConnectionScopes;

/**
 * A running EdgeX source: one subscription of its own on the connection (named, or the anonymous one of its bus),
 * whose events become records. A message the bus acknowledges (JetStream, MQTT QoS 1 and 2) waits until the rule
 * takes it and is acknowledged only then; one it does not waits {@link #UNACKNOWLEDGED_WAIT} at most and drops,
 * counted by the rule. A message that is no envelope or event is counted on the source and skipped.
 */
final class EdgexSource extends ConnectedSource implements Subscriber {
    static final Duration UNACKNOWLEDGED_WAIT = Duration.ofSeconds(1);
    static final Duration UNTIL_ACCEPTED = Duration.ofDays(365);

    private final ConnectionScopes<Subscribers> scopes;
    private final String topic;
    private final MessageType type;
    private final Map<String, Object> props;
    private volatile SourceContext context;

    EdgexSource(ConnectionScopes<Subscribers> scopes, String topic, MessageType type, Map<String, Object> props) {
        super(EdgexConnectorFactory.TYPE, props);
        this.scopes = scopes;
        this.topic = topic;
        this.type = type;
        this.props = Map.copyOf(props);
    }

    @Override
    protected String anonymousKey(SourceContext sourceContext) {
        return EdgexSinkProvider.anonymousKey(props);
    }

    /** Adds this source's own subscription to the connection's; closing removes only it. */
    @Override
    protected AutoCloseable consume(ConnectionHandle handle, SourceContext sourceContext) {
        context = sourceContext;
        ConnectionScopes.Lease<Subscribers> lease = scopes.acquire(handle.connectionId());
        Runnable unsubscribe = lease.state().add(this);
        return () -> {
            unsubscribe.run();
            lease.close();
        };
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public boolean deliver(Envelope envelope, boolean acknowledged) throws InterruptedException {
        Readings.Decoded decoded;
        try {
            decoded = Readings.decode(envelope, type);
        } catch (MalformedMessageException e) {
            failed("a message on " + envelope.receivedTopic() + ": " + e.getMessage());
            return true;
        }
        for (String problem : decoded.problems()) {
            failed("a message on " + envelope.receivedTopic() + ": " + problem);
        }
        if (decoded.record().isEmpty()) {
            return true;
        }
        Acceptance acceptance = context.offerRecord(decoded.record(), decoded.meta(),
                acknowledged ? UNTIL_ACCEPTED : UNACKNOWLEDGED_WAIT);
        return acceptance != Acceptance.CLOSED;
    }

    @Override
    public void failed(String reason) {
        context.reportError(new IllegalStateException(reason));
    }
}
