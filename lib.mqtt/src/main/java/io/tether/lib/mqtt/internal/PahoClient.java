package io.tether.lib.mqtt.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import io.tether.api.connection.ConnectionException;
import io.tether.lib.mqtt.BrokerClient;
import io.tether.lib.mqtt.Failures;
import io.tether.lib.mqtt.PublishFailedException;

/**
 * What Paho's MQTT 3.1.1 and MQTT 5 clients share: connects under {@link PahoConnects}, acknowledgements under
 * {@link SessionAcknowledgements}, publishes tracked by {@link PendingPublishes}, subscriptions and the close. Paho's two
 * clients make the same calls on types of their own; a subclass makes each call on its client.
 */
abstract class PahoClient implements BrokerClient {
    /** SUBACK and PUBACK reason codes from this one up refuse. */
    static final int FAILURE = 0x80;
    static final Runnable NO_ACKNOWLEDGEMENT = () -> { };

    /** What a publish call that Paho refused means. */
    enum Refusal {
        /** as many QoS 1 and 2 publishes in flight as allowed: try again when one completes */
        IN_FLIGHT_FULL,
        NOT_CONNECTED,
        OTHER
    }

    final PendingPublishes pending = new PendingPublishes();
    final SessionAcknowledgements acks = new SessionAcknowledgements(this::isConnected, this::acknowledgeQos1);
    private final PahoConnects connects = new PahoConnects(this::disconnectNow);

    /** Paho's connect, which completes {@code connack}. */
    abstract void startConnect(ConnectOutcome connack) throws Exception;

    /** Whether a failed connect's cause (Paho's exception, or another) will fail again however often it is tried. */
    abstract boolean refusedForGood(Throwable cause);

    /** Drops the link at once, abandoning a connect in progress. */
    abstract void disconnectNow() throws Exception;

    /** Sends SUBSCRIBE; {@code reasonCodes} completes with the SUBACK's, one a filter. */
    abstract void sendSubscribe(String[] topics, int[] qos, CompletableFuture<int[]> reasonCodes) throws Exception;

    /** Sends UNSUBSCRIBE; throws Paho's exception when not connected. */
    abstract void sendUnsubscribe(String[] filters) throws Exception;

    /** Hands a publish to Paho, which completes {@code outcome} through {@link #pending}. */
    abstract void sendPublish(String topic, byte[] payload, int qos, boolean retained, CompletableFuture<Void> outcome)
            throws Exception;

    abstract Refusal refusal(Exception publishFailure);

    abstract void acknowledgeQos1(int messageId) throws Exception;

    /** Disconnects, waiting briefly for DISCONNECT to go out, and releases the client. */
    abstract void shutDown() throws Exception;

    /**
     * Connects. Before a reconnect and after a failed connect, Paho is brought back to a clean disconnected state,
     * keeping a persistent session's in-flight publishes: what it queued while the link was down is dropped (see
     * {@link SessionAcknowledgements}), and a connect still in progress (one that timed out), which would otherwise
     * make every later connect "already in progress", is abandoned.
     */
    @Override
    public final void connect(Duration timeout) throws ConnectionException {
        if (acks.newSession()) {
            connects.reset();
        }
        connects.connect(connack -> startConnect(new ConnectOutcome(connack)), timeout,
                cause -> refusedForGood(cause) ? ConnectionException.permanent(Failures.describe(cause), cause)
                        : ConnectionException.io(Failures.describe(cause), cause));
        if (!isConnected()) {
            connects.reset();
            throw ConnectionException.io("connection lost right after CONNACK", null);
        }
    }

    /** Paho's network modules, each opened under the connect's {@link PahoConnects.Attempt}. */
    final <M> M[] guarded(M[] modules, BiFunction<M, PahoConnects.Attempt, M> guard) {
        PahoConnects.Attempt attempt = connects.nextAttempt();
        M[] guarded = modules.clone();
        for (int i = 0; i < modules.length; i++) {
            guarded[i] = guard.apply(modules[i], attempt);
        }
        return guarded;
    }

    @Override
    public final CompletableFuture<List<String>> subscribe(Map<String, Integer> filters) {
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        String[] topics = filters.keySet().toArray(String[]::new);
        int[] qos = filters.values().stream().mapToInt(Integer::intValue).toArray();
        CompletableFuture<int[]> reasonCodes = new CompletableFuture<>();
        try {
            sendSubscribe(topics, qos, reasonCodes);
        } catch (Exception e) {
            reasonCodes.completeExceptionally(e);
        }
        return reasonCodes.thenApply(codes -> refused(topics, codes));
    }

    @Override
    public final void unsubscribeLater(Collection<String> filters) {
        if (filters.isEmpty()) {
            return;
        }
        try {
            sendUnsubscribe(filters.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception notConnected) {
            // a clean session forgets it anyway; a persistent one is unsubscribed at the next change
        }
    }

    @Override
    public final boolean publish(String topic, byte[] payload, int qos, boolean retained,
            CompletableFuture<Void> outcome) throws PublishFailedException {
        pending.add(outcome);
        try {
            sendPublish(topic, payload, qos, retained, outcome);
            return true;
        } catch (IllegalArgumentException invalidTopic) {
            pending.remove(outcome);
            throw new PublishFailedException(Failures.describe(invalidTopic), false, invalidTopic);
        } catch (RuntimeException e) {
            pending.remove(outcome);
            throw e;
        } catch (Exception e) {
            pending.remove(outcome);
            return switch (refusal(e)) {
                case IN_FLIGHT_FULL -> false;
                case NOT_CONNECTED -> throw PublishFailedException.notConnected();
                case OTHER -> throw new PublishFailedException(Failures.describe(e), true, e);
            };
        }
    }

    @Override
    public final void close() {
        connects.close(this::shutDown);
        pending.clientClosed();
    }

    /** The filters the SUBACK refused (or did not answer for). */
    static List<String> refused(String[] topics, int[] reasonCodes) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < topics.length; i++) {
            if (reasonCodes == null || i >= reasonCodes.length || reasonCodes[i] >= FAILURE) {
                refused.add(topics[i]);
            }
        }
        return refused;
    }
}
