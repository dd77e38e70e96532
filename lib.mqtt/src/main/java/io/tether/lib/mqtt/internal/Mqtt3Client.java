package io.tether.lib.mqtt.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import io.tether.api.io.DeliveryException;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.Failures;
import io.tether.lib.mqtt.MqttClientSettings;
import io.tether.lib.mqtt.ProtocolVersion;

/**
 * Paho's MQTT 3.1 / 3.1.1 client. Arriving QoS 1 messages are acknowledged by hand, once handed on (Paho's manual
 * acks); QoS 2 ones on arrival (Paho has already sent PUBREC when it hands the message over on PUBREL).
 */
public final class Mqtt3Client extends PahoClient {
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final IMqttActionListener outcomes = new PublishOutcomes();

    public Mqtt3Client(MqttClientSettings settings, String clientId, ScheduledExecutorService scheduler, BrokerListener listener,
            Duration connectTimeout) throws MqttException, GeneralSecurityException, IOException {
        client = new MqttAsyncClient(settings.server(), clientId, new MemoryPersistence(), new KeepAliveWatchdog(scheduler)) {
            @Override
            protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options)
                    throws MqttException {
                return guarded(super.createNetworkModules(address, options), GuardedModule::of);
            }
        };
        client.setCallback(new Callback(listener));
        client.setManualAcks(true);
        options = new MqttConnectOptions();
        options.setMqttVersion(settings.protocolVersion() == ProtocolVersion.V3_1
                ? MqttConnectOptions.MQTT_VERSION_3_1 : MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setMaxInflight(settings.maxInflight());
        options.setConnectionTimeout(Math.max(1, (int) Math.ceil(connectTimeout.toMillis() / 1000.0)));
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        if (settings.tls().custom()) {
            options.setSocketFactory(settings.tls().socketFactory());
        }
        options.setHttpsHostnameVerificationEnabled(!settings.tls().insecureSkipVerify());
    }

    @Override
    void startConnect(ConnectOutcome connack) throws MqttException {
        client.connect(options, null, connack);
    }

    @Override
    boolean refusedForGood(Throwable cause) {
        return cause instanceof MqttException e && switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION, MqttException.REASON_CODE_INVALID_CLIENT_ID,
                    MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED -> true;
            default -> false;
        };
    }

    @Override
    void disconnectNow() throws MqttException {
        client.disconnectForcibly(0, 0, false);
    }

    @Override
    void sendSubscribe(String[] topics, int[] qos, CompletableFuture<int[]> reasonCodes) throws MqttException {
        client.subscribe(topics, qos, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                reasonCodes.complete(token.getGrantedQos());
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                reasonCodes.completeExceptionally(cause);
            }
        });
    }

    @Override
    void sendUnsubscribe(String[] filters) throws MqttException {
        client.unsubscribe(filters);
    }

    @Override
    void sendPublish(String topic, byte[] payload, int qos, boolean retained, CompletableFuture<Void> outcome)
            throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retained);
        client.publish(topic, message, outcome, outcomes);
    }

    @Override
    Refusal refusal(Exception publishFailure) {
        return !(publishFailure instanceof MqttException e) ? Refusal.OTHER : switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_MAX_INFLIGHT -> Refusal.IN_FLIGHT_FULL;
            case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED, MqttException.REASON_CODE_CLIENT_DISCONNECTING,
                    MqttException.REASON_CODE_CLIENT_CLOSED -> Refusal.NOT_CONNECTED;
            default -> Refusal.OTHER;
        };
    }

    @Override
    void acknowledgeQos1(int messageId) throws MqttException {
        client.messageArrivedComplete(messageId, 1);
    }

    @Override
    void shutDown() throws MqttException {
        try {
            client.disconnectForcibly(0, 500, client.isConnected());
        } catch (MqttException | RuntimeException notConnected) {
            // closed below all the same
        }
        client.close(true);
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    private void acknowledgeQos2(int messageId) {
        try {
            client.messageArrivedComplete(messageId, 2);
        } catch (MqttException | RuntimeException linkGone) {
            // the broker sends the message again on a persistent session
        }
    }

    private final class Callback implements MqttCallback {
        private final BrokerListener listener;

        Callback(BrokerListener listener) {
            this.listener = listener;
        }

        @Override
        public void connectionLost(Throwable cause) {
            listener.connectionLost(Failures.describe(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int qos = message.getQos();
            if (qos == 2) {
                // Paho sent PUBREC on arrival already (paho.mqtt.java #994): the broker will not send it again
                acknowledgeQos2(message.getId());
            }
            listener.messageArrived(topic, message.getPayload(), Map.of("topic", topic, "qos", qos,
                    "messageId", message.getId(), "retained", message.isRetained()),
                    qos == 1 ? acks.of(message.getId()) : NO_ACKNOWLEDGEMENT);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    private final class PublishOutcomes implements IMqttActionListener {
        @Override
        @SuppressWarnings("unchecked")
        public void onSuccess(IMqttToken token) {
            pending.succeeded((CompletableFuture<Void>) token.getUserContext());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onFailure(IMqttToken token, Throwable cause) {
            pending.failed((CompletableFuture<Void>) token.getUserContext(),
                    DeliveryException.retryable(Failures.describe(cause), cause));
        }
    }
}
