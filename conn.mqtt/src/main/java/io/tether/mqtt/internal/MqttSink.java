package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.io.SinkContext;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.ConnectedSink;
import io.tether.lib.mqtt.PublishFailedException;

/**
 * A running MQTT sink: publishes each payload of an emission, encoded by the rule layer's encoder, to its topic.
 * {@link #send} tells each emission's outcome: done once the broker acknowledged every message (QoS 1 and 2) or they
 * were written (QoS 0), failed with a {@link io.tether.api.io.DeliveryException} otherwise; the rule layer counts it.
 * {@link #collect} (for callers without outcomes) returns once the messages are queued and reports a message given up
 * later to the rule layer itself.
 */
final class MqttSink extends ConnectedSink<MqttConnection> {
    private final String topic;
    private final int qos;
    private final boolean retained;
    private final AtomicLong failed = new AtomicLong();

    MqttSink(String topic, int qos, boolean retained, Map<String, Object> props) {
        super(MqttConnectorFactory.TYPE, MqttConnection.class, props);
        this.topic = topic;
        this.qos = qos;
        this.retained = retained;
    }

    /** Rule, operator and topic: rules never share an anonymous client. */
    @Override
    protected String anonymousKey(SinkContext context) {
        return AnonymousKeys.perNode(context, topic);
    }

    /**
     * None: a persistent session's unacknowledged publishes are sent again after a reconnect, and their outcome comes
     * only then; a clean session's fail when the link drops.
     */
    @Override
    protected Duration outcomeTimeout() {
        return null;
    }

    /**
     * Publishes the emission's messages, stopping at the first that cannot be queued (the emission then fails at
     * once; sending it again sends the messages queued before it a second time).
     */
    @Override
    protected CompletionStage<Void> deliver(MqttConnection connection, List<Map<String, Object>> records)
            throws PublishFailedException {
        List<byte[]> payloads = context().encoder().encode(records);
        List<CompletableFuture<Void>> outcomes = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            try {
                outcomes.add(connection.publish(topic, payloads.get(i), qos, retained, context().sendTimeout()));
            } catch (PublishFailedException e) {
                failed.addAndGet(payloads.size() - i);
                throw e;
            }
        }
        outcomes.forEach(outcome -> outcome.whenComplete((done, failure) -> {
            if (failure != null) {
                failed.incrementAndGet();
            }
        }));
        return outcomes.size() == 1 ? outcomes.get(0)
                : CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
    }

    /**
     * Queues every message of the emission; fails with the first reason a message could not be queued, after trying
     * the others. A queued message given up later is reported to the rule layer.
     */
    @Override
    public void collect(List<Map<String, Object>> records) throws PublishFailedException {
        List<byte[]> payloads = context().encoder().encode(records);
        MqttConnection connection = queueingConnection(payloads.size());
        PublishFailedException first = null;
        Duration wait = context().sendTimeout();
        for (byte[] payload : payloads) {
            try {
                connection.publish(topic, payload, qos, retained, wait).whenComplete((done, failure) -> {
                    if (failure != null) {
                        failed.incrementAndGet();
                        context().reportError(failure);
                    }
                });
            } catch (PublishFailedException e) {
                failed.incrementAndGet();
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The instance, whatever the status says: its publish refuses itself while it is not connected. */
    private MqttConnection queueingConnection(int messages) throws PublishFailedException {
        ConnectionHandle handle = handle();
        try {
            if (handle != null) {
                return handle.as(MqttConnection.class);
            }
        } catch (ConnectionPoolException notAvailable) {
            // as below
        }
        failed.addAndGet(messages);
        throw PublishFailedException.notConnected();
    }

    /**
     * Messages that were not delivered: refused by the client at once, or given up by it later (emissions that
     * {@link #send} failed before they reached the client, as the connection was not connected, are not counted).
     */
    long failedMessages() {
        return failed.get();
    }
}
