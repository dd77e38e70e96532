package io.tether.lib.mqtt.internal;

import java.util.concurrent.CompletableFuture;

/** Completes a connect's future from Paho's connect token, of either client. */
final class ConnectOutcome implements org.eclipse.paho.client.mqttv3.IMqttActionListener,
        org.eclipse.paho.mqttv5.client.MqttActionListener {
    private final CompletableFuture<Void> connack;

    ConnectOutcome(CompletableFuture<Void> connack) {
        this.connack = connack;
    }

    @Override
    public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
        connack.complete(null);
    }

    @Override
    public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable cause) {
        connack.completeExceptionally(cause);
    }

    @Override
    public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
        connack.complete(null);
    }

    @Override
    public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable cause) {
        connack.completeExceptionally(cause);
    }
}
