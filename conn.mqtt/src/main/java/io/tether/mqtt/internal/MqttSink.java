package io.tether.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;

/**
 * A running MQTT sink: publishes each payload of an emission, encoded by the rule layer's encoder, to its topic.
 * {@link #send} tells each emission's outcome: done once the broker acknowledged every message (QoS 1 and 2) or they
 * were written (QoS 0), failed with a {@link io.tether.api.io.DeliveryException} otherwise; the rule layer counts it.
 * {@link #collect} (for callers without outcomes) returns once the messages are queued and reports a message given up
 * later to the rule layer itself.
 */
final class MqttSink implements Sink {
    private final String topic;
    private final int qos;
    private final boolean retained;
    private final Map<String, Object> props;
    private final AtomicLong failed = new AtomicLong();
    private SinkContext context;
    private ConnectionHandle handle;

    MqttSink(String topic, int qos, boolean retained, Map<String, Object> props) {
        this.topic = topic;
        this.qos = qos;
        this.retained = retained;
        this.props = Map.copyOf(props);
    }

    @Override
    public void open(SinkContext sinkContext) {
        context = sinkContext;
        String key = context.ruleId() + "/" + context.operatorId() + "/" + topic;
        handle = context.pool().attach(context.ruleId(), key, MqttConnectorFactory.TYPE, props,
                context.connectionStatusListener());
    }

    /**
     * Publishes the emission's messages, stopping at the first that cannot be queued (the emission then fails at
     * once; sending it again sends the messages queued before it a second time).
     */
    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        List<byte[]> payloads = context.encoder().encode(records);
        List<CompletableFuture<Void>> outcomes = new ArrayList<>(payloads.size());
        try {
            MqttConnection connection = connection(payloads.size());
            for (int i = 0; i < payloads.size(); i++) {
                try {
                    outcomes.add(connection.publish(topic, payloads.get(i), qos, retained));
                } catch (PublishFailedException e) {
                    failed.addAndGet(payloads.size() - i);
                    throw e;
                }
            }
        } catch (PublishFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
        outcomes.forEach(outcome -> outcome.whenComplete((done, failure) -> {
            if (failure != null) {
                failed.incrementAndGet();
            }
        }));
        return outcomes.size() == 1 ? outcomes.get(0) : CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unwrap(failure)));
    }

    /**
     * Queues every message of the emission; fails with the first reason a message could not be queued, after trying
     * the others. A queued message given up later is reported to the rule layer.
     */
    @Override
    public void collect(List<Map<String, Object>> records) throws PublishFailedException {
        List<byte[]> payloads = context.encoder().encode(records);
        MqttConnection connection = connection(payloads.size());
        PublishFailedException first = null;
        for (byte[] payload : payloads) {
            try {
                connection.publish(topic, payload, qos, retained).whenComplete((done, failure) -> {
                    if (failure != null) {
                        failed.incrementAndGet();
                        context.reportError(failure);
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

    private MqttConnection connection(int messages) throws PublishFailedException {
        try {
            return handle.as(MqttConnection.class);
        } catch (ConnectionPoolException notAvailable) {
            failed.addAndGet(messages);
            throw PublishFailedException.notConnected();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Messages that were not delivered: refused at once, or given up by the client later. */
    long failedMessages() {
        return failed.get();
    }

    @Override
    public void close() {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }
}
