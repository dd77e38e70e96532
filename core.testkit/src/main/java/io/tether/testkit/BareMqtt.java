package io.tether.testkit;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Bare Paho MQTT 3 clients beside Tether: devices that publish, readers that count, baselines for benchmarks. Needs
 * {@code org.eclipse.paho.client.mqttv3} on the test classpath (the testkit does not bring it).
 */
public final class BareMqtt {
    /** The in-flight window of Tether's MQTT connections by default. */
    public static final int MAX_INFLIGHT = 1000;

    private BareMqtt() {
    }

    /** A connected client (clean session, no automatic reconnect) with Tether's default in-flight window. */
    public static MqttAsyncClient connect(String serverUrl) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUrl, "bare-" + UUID.randomUUID().toString()
                .substring(0, 8), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(MAX_INFLIGHT);
        client.connect(options).waitForCompletion();
        return client;
    }

    /** Publishes, waiting while the in-flight window is full. */
    public static void publish(MqttAsyncClient client, String topic, byte[] payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        while (true) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /** A 100-byte JSON object of device reading {@code i}. */
    public static byte[] payload(int i, double temperature) {
        String json = String.format("{\"id\":%d,\"device\":\"sensor-%04d\",\"temperature\":%s,\"humidity\":40.25,"
                + "\"pad\":\"", i, Math.floorMod(i, 10_000), temperature);
        StringBuilder text = new StringBuilder(json);
        while (text.length() < 98) {
            text.append('x');
        }
        return text.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
