package io.tether.api.io;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/** A running sink, owned by one rule. */
@ConsumerType
public interface Sink {

    void open(SinkContext context) throws Exception;

    /**
     * Sends one emission of the rule. Bounded in time: a sink whose connection is down fails the emission
     * instead of blocking. A sink that learns the outcome later (an acknowledgement) implements {@link #send}.
     */
    void collect(List<Map<String, Object>> records) throws Exception;

    /**
     * Sends one emission and tells its outcome: the stage completes once the peer has it (for a QoS 1 or 2 MQTT
     * publish, its acknowledgement), or exceptionally with the failure, a {@link DeliveryException} saying whether
     * sending again may succeed. Called by one thread at a time, in emission order; returns without waiting for the
     * outcome, bounded in time as {@link #collect}. The rule layer counts outcomes and, with {@code enableCache}, keeps
     * and resends emissions that failed with a retryable error. The default calls {@link #collect}: the emission is
     * done when it returns.
     *
     * @since 1.2
     */
    default CompletionStage<Void> send(List<Map<String, Object>> records) {
        try {
            collect(records);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    void close();
}
