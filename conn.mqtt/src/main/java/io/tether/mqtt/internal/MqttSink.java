package io.tether.mqtt.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;

/**
 * A running MQTT sink: publishes each payload of an emission, encoded by the rule layer's encoder, to its topic. A
 * message that cannot be queued (not connected, in-flight window full for too long) fails and is counted; the
 * emission then fails with the first such reason, and the sink goes on with the next one. A queued message that the
 * client gives up later is counted and reported to the rule layer.
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

    @Override
    public void collect(List<Map<String, Object>> records) throws PublishFailedException {
        List<byte[]> payloads = context.encoder().encode(records);
        MqttConnection connection;
        try {
            connection = handle.as(MqttConnection.class);
        } catch (ConnectionPoolException notAvailable) {
            failed.addAndGet(payloads.size());
            throw PublishFailedException.notConnected();
        }
        PublishFailedException first = null;
        for (byte[] payload : payloads) {
            try {
                connection.publish(topic, payload, qos, retained, this::failedLater);
            } catch (PublishFailedException e) {
                failed.incrementAndGet();
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void failedLater(Throwable cause) {
        failed.incrementAndGet();
        context.reportError(cause);
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
