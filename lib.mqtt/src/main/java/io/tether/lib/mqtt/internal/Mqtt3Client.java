package io.tether.lib.mqtt.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

import io.tether.api.connection.ConnectionException;
import io.tether.api.io.DeliveryException;
import io.tether.lib.mqtt.BrokerClient;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.Failures;
import io.tether.lib.mqtt.MqttClientSettings;
import io.tether.lib.mqtt.ProtocolVersion;
import io.tether.lib.mqtt.PublishFailedException;

/**
 * Paho's MQTT 3.1 / 3.1.1 client. Arriving QoS 1 messages are acknowledged by hand, once handed on (Paho's manual
 * acks); QoS 2 ones on arrival (Paho has already sent PUBREC when it hands the message over on PUBREL).
 */
public final class Mqtt3Client implements BrokerClient {
    private static final int SUBACK_FAILURE = 0x80;

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final PendingPublishes pending = new PendingPublishes();
    private final IMqttActionListener outcomes = new PublishOutcomes();
    private final SessionAcknowledgements acks;
    private final PahoConnects connects = new PahoConnects(() -> client().disconnectForcibly(0, 0, false));

    public Mqtt3Client(MqttClientSettings settings, String clientId, ScheduledExecutorService scheduler, BrokerListener listener,
            Duration connectTimeout) throws MqttException, GeneralSecurityException, IOException {
        client = new MqttAsyncClient(settings.server(), clientId, new MemoryPersistence(), new KeepAliveWatchdog(scheduler)) {
            @Override
            protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options)
                    throws MqttException {
                return guarded(super.createNetworkModules(address, options));
            }
        };
        client.setCallback(new Callback(listener));
        client.setManualAcks(true);
        acks = new SessionAcknowledgements(client::isConnected, messageId -> client.messageArrivedComplete(messageId, 1));
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
    public void connect(Duration timeout) throws ConnectionException {
        if (acks.newSession()) {
            reset();
        }
        connects.connect(connack -> client.connect(options, null, new ConnectOutcome(connack)), timeout,
                cause -> cause instanceof MqttException e ? failure(e)
                        : ConnectionException.io(Failures.describe(cause), cause));
        if (!client.isConnected()) {
            reset();
            throw ConnectionException.io("connection lost right after CONNACK", null);
        }
    }

    /**
     * Brings Paho back to a clean disconnected state, keeping a persistent session's in-flight publishes: drops what
     * it queued while the link was down (see {@link SessionAcknowledgements}) and abandons a connect still in
     * progress (one that timed out), which would otherwise make every later connect "already in progress".
     */
    private void reset() {
        connects.reset();
    }

    private MqttAsyncClient client() {
        return client;
    }

    /** Paho's network modules, each opened under the connect's {@link PahoConnects.Attempt}. */
    private NetworkModule[] guarded(NetworkModule[] modules) {
        PahoConnects.Attempt attempt = connects.nextAttempt();
        NetworkModule[] guarded = new NetworkModule[modules.length];
        for (int i = 0; i < modules.length; i++) {
            guarded[i] = GuardedModule.of(modules[i], attempt);
        }
        return guarded;
    }

    @Override
    public CompletableFuture<List<String>> subscribe(Map<String, Integer> filters) {
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<String>> suback = new CompletableFuture<>();
        String[] topics = filters.keySet().toArray(String[]::new);
        int[] qos = filters.values().stream().mapToInt(Integer::intValue).toArray();
        try {
            client.subscribe(topics, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    suback.complete(refused(topics, token.getGrantedQos()));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    suback.completeExceptionally(cause);
                }
            });
        } catch (MqttException | RuntimeException e) {
            suback.completeExceptionally(e);
        }
        return suback;
    }

    @Override
    public void unsubscribeLater(Collection<String> filters) {
        if (filters.isEmpty()) {
            return;
        }
        try {
            client.unsubscribe(filters.toArray(String[]::new));
        } catch (MqttException notConnected) {
            // a clean session forgets it anyway; a persistent one is unsubscribed at the next change
        }
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained, CompletableFuture<Void> outcome)
            throws PublishFailedException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retained);
        pending.add(outcome);
        try {
            client.publish(topic, message, outcome, outcomes);
            return true;
        } catch (MqttException e) {
            pending.remove(outcome);
            return switch (e.getReasonCode()) {
                case MqttException.REASON_CODE_MAX_INFLIGHT -> false;
                case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED, MqttException.REASON_CODE_CLIENT_DISCONNECTING,
                        MqttException.REASON_CODE_CLIENT_CLOSED -> throw PublishFailedException.notConnected();
                default -> throw new PublishFailedException(Failures.describe(e), true, e);
            };
        } catch (IllegalArgumentException invalidTopic) {
            pending.remove(outcome);
            throw new PublishFailedException(Failures.describe(invalidTopic), false, invalidTopic);
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        connects.close(() -> {
            try {
                client.disconnectForcibly(0, 500, client.isConnected());
            } catch (MqttException | RuntimeException notConnected) {
                // closed below all the same
            }
            client.close(true);
        });
        pending.clientClosed();
    }

    private static List<String> refused(String[] topics, int[] granted) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < topics.length; i++) {
            if (granted == null || i >= granted.length || granted[i] >= SUBACK_FAILURE) {
                refused.add(topics[i]);
            }
        }
        return refused;
    }

    private static ConnectionException failure(MqttException e) {
        String reason = Failures.describe(e);
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION, MqttException.REASON_CODE_INVALID_CLIENT_ID,
                    MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                ConnectionException.permanent(reason, e);
            default -> ConnectionException.io(reason, e);
        };
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

    private static final Runnable NO_ACKNOWLEDGEMENT = () -> { };

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
