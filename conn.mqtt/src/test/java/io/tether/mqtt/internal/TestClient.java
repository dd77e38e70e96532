package io.tether.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A bare Paho client playing another party on the broker (a device publishing, a $SYS reader). */
final class TestClient implements AutoCloseable {
    private final MqttClient client;

    TestClient(String server) throws MqttException {
        client = new MqttClient(server, "test-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(false);
        options.setCleanSession(true);
        // a synchronous publish may return before Paho has freed its in-flight slot: a wide window avoids refusals
        options.setMaxInflight(1000);
        client.connect(options);
    }

    void publish(String topic, String payload, int qos) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    MqttClient paho() {
        return client;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
