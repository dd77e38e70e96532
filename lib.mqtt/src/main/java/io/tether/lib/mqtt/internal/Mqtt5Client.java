package io.tether.lib.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Set;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import io.tether.api.io.DeliveryException;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.Failures;
import io.tether.lib.mqtt.MqttClientSettings;

/**
 * Paho's MQTT 5 client. Arriving QoS 1 messages are acknowledged by hand, once handed on (Paho's manual acks), and the
 * receive maximum offered to the broker bounds how many wait; QoS 2 ones are acknowledged on arrival by Paho itself
 * (acknowledging them by hand would send a second PUBCOMP, which breaks the link: paho.mqtt.java #1054).
 */
public final class Mqtt5Client extends PahoClient {
    /** A persistent session outlives a disconnect as long as MQTT 3.1.1's does: until the client cleans it. */
    private static final long SESSION_NEVER_EXPIRES = 0xFFFFFFFFL;
    /** PUBACK reason codes that may not recur: unspecified error, implementation specific error, quota exceeded. */
    private static final Set<Integer> TRANSIENT_REFUSALS = Set.of(0x80, 0x83, 0x97);

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final MqttActionListener outcomes = new PublishOutcomes();

    public Mqtt5Client(MqttClientSettings settings, String clientId, ScheduledExecutorService scheduler, BrokerListener listener,
            Duration connectTimeout) throws MqttException, GeneralSecurityException, IOException {
        client = new MqttAsyncClient(settings.server(), clientId, new MemoryPersistence(), new KeepAliveWatchdog(scheduler),
                null) {
            @Override
            protected NetworkModule[] createNetworkModules(String address, MqttConnectionOptions options)
                    throws MqttException {
                return guarded(super.createNetworkModules(address, options), GuardedModule::of);
            }
        };
        client.setCallback(new Callback(listener));
        client.setManualAcks(true);
        options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        options.setCleanStart(settings.cleanSession());
        if (settings.persistentSession()) {
            options.setSessionExpiryInterval(SESSION_NEVER_EXPIRES);
        }
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setReceiveMaximum(settings.receiveMaximum());
        options.setConnectionTimeout(Math.max(1, (int) Math.ceil(connectTimeout.toMillis() / 1000.0)));
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
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
            case MqttReturnCode.RETURN_CODE_UNSUPPORTED_PROTOCOL_VERSION,
                    MqttReturnCode.RETURN_CODE_IDENTIFIER_NOT_VALID,
                    MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED,
                    MqttReturnCode.RETURN_CODE_BANNED, MqttReturnCode.RETURN_CODE_BAD_AUTHENTICATION -> true;
            default -> false;
        };
    }

    @Override
    void disconnectNow() throws MqttException {
        client.disconnectForcibly(0, 0, false);
    }

    @Override
    void sendSubscribe(String[] topics, int[] qos, CompletableFuture<int[]> reasonCodes) throws MqttException {
        client.subscribe(topics, qos, null, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                reasonCodes.complete(token.getReasonCodes());
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
            case MqttClientException.REASON_CODE_MAX_INFLIGHT -> Refusal.IN_FLIGHT_FULL;
            case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
                    MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
                    MqttClientException.REASON_CODE_CLIENT_CLOSED -> Refusal.NOT_CONNECTED;
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

    /** The MQTT 5 properties a message carries, under their names in the message's metadata. */
    static Map<String, Object> meta(String topic, MqttMessage message) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("topic", topic);
        meta.put("qos", message.getQos());
        meta.put("messageId", message.getId());
        meta.put("retained", message.isRetained());
        MqttProperties properties = message.getProperties();
        if (properties == null) {
            return meta;
        }
        if (properties.getContentType() != null) {
            meta.put("contentType", properties.getContentType());
        }
        if (properties.getResponseTopic() != null) {
            meta.put("responseTopic", properties.getResponseTopic());
        }
        if (properties.getCorrelationData() != null) {
            meta.put("correlationData", properties.getCorrelationData());
        }
        if (properties.getMessageExpiryInterval() != null) {
            meta.put("messageExpiryInterval", properties.getMessageExpiryInterval());
        }
        if (properties.getPayloadFormat()) {
            meta.put("payloadFormatIndicator", 1);
        }
        List<UserProperty> userProperties = properties.getUserProperties();
        if (userProperties != null && !userProperties.isEmpty()) {
            Map<String, String> user = new LinkedHashMap<>();
            userProperties.forEach(property -> user.put(property.getKey(), property.getValue()));
            meta.put("userProperties", user);
        }
        return meta;
    }

    private final class Callback implements MqttCallback {
        private final BrokerListener listener;

        Callback(BrokerListener listener) {
            this.listener = listener;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            MqttException cause = response.getException();
            String reason = cause != null ? Failures.describe(cause)
                    : "disconnected by the broker, reason code " + response.getReturnCode()
                            + (response.getReasonString() == null ? "" : ": " + response.getReasonString());
            listener.connectionLost(reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            listener.messageArrived(topic, message.getPayload(), meta(topic, message),
                    message.getQos() == 1 ? acks.of(message.getId()) : NO_ACKNOWLEDGEMENT);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private final class PublishOutcomes implements MqttActionListener {
        /** Paho reports a PUBACK or PUBCOMP that refuses the message as a success: its reason code tells. */
        @Override
        @SuppressWarnings("unchecked")
        public void onSuccess(IMqttToken token) {
            CompletableFuture<Void> outcome = (CompletableFuture<Void>) token.getUserContext();
            int[] reasonCodes = token.getReasonCodes();
            int reasonCode = reasonCodes == null || reasonCodes.length == 0 ? 0 : reasonCodes[0];
            if (reasonCode < FAILURE) {
                pending.succeeded(outcome);
            } else {
                String reason = "the broker refused the message, reason code 0x" + Integer.toHexString(reasonCode);
                pending.failed(outcome, new DeliveryException(reason, TRANSIENT_REFUSALS.contains(reasonCode), null));
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onFailure(IMqttToken token, Throwable cause) {
            pending.failed((CompletableFuture<Void>) token.getUserContext(),
                    DeliveryException.retryable(Failures.describe(cause), cause));
        }
    }
}
