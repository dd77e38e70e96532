package io.tether.api.io;

import java.time.Duration;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.StatusListener;

import org.osgi.annotation.versioning.ProviderType;

/** What a source or sink instance knows of where it runs. Provided by the rule layer. */
@ProviderType
public interface NodeContext {

    /** The id of the rule the node belongs to. */
    String ruleId();

    /** The operator's name within the rule, e.g. {@code source_demo} or {@code sink_mqtt_0}. */
    String operatorId();

    /**
     * The pool to attach to, under a key the node chooses and {@link #ruleId()} as reference id. The key decides
     * which nodes share an anonymous connection: see {@link io.tether.api.kit.AnonymousKeys}.
     */
    ConnectionPool pool();

    /** Give this to {@link ConnectionPool#attach} so the rule reports the node's connection status. */
    StatusListener connectionStatusListener();

    /**
     * Reports a failure that did not stop the node, counted in the node's exceptions with its message: for a
     * source, a message it could not read; for a sink, a message that {@link Sink#collect} accepted but that could
     * not be delivered after all (e.g. a QoS 1 publish given up when the link dropped before its acknowledgement).
     *
     * @since 1.1 (on sources since 1.0)
     */
    void reportError(Throwable error);

    /**
     * How long a sink may take for one emission: to hand it to its client, and, for a sink that learns its outcome
     * later, until the outcome ({@link io.tether.api.kit.ConnectedSink} fails it as retryable after that). Default
     * 5 s.
     *
     * @since 1.2
     */
    default Duration sendTimeout() {
        return Duration.ofSeconds(5);
    }
}
