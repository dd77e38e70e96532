package io.tether.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttPingSender;
import org.eclipse.paho.mqttv5.client.internal.ClientComms;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import io.tether.api.connection.ConnectionException;

/** Paho's MQTT 5 client. */
final class Mqtt5Client implements BrokerClient {
    /** A persistent session outlives a disconnect as long as MQTT 3.1.1's does: until the client cleans it. */
    private static final long SESSION_NEVER_EXPIRES = 0xFFFFFFFFL;
    private static final int FAILURE = 0x80;

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final MqttActionListener publishFailures = new PublishFailures();

    Mqtt5Client(MqttSettings settings, String clientId, ScheduledExecutorService scheduler, BrokerListener listener,
            Duration connectTimeout) throws MqttException, GeneralSecurityException, IOException {
        client = new MqttAsyncClient(settings.server(), clientId, new MemoryPersistence(), new PingSender(scheduler),
                null);
        client.setCallback(new Callback(listener));
        options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        options.setCleanStart(settings.cleanSession());
        if (settings.persistentSession()) {
            options.setSessionExpiryInterval(SESSION_NEVER_EXPIRES);
        }
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setReceiveMaximum(Math.min(settings.maxInflight(), 65535));
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
    public void connect(Duration timeout) throws ConnectionException {
        try {
            client.connect(options).waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            throw failure(e);
        }
        if (!client.isConnected()) {
            throw ConnectionException.io("no CONNACK within " + timeout.toMillis() + " ms", null);
        }
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
            client.subscribe(topics, qos, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    suback.complete(refused(topics, token.getReasonCodes()));
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
    public boolean publish(String topic, byte[] payload, int qos, boolean retained, Consumer<Throwable> failed)
            throws PublishFailedException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retained);
        try {
            client.publish(topic, message, failed, qos == 0 ? null : publishFailures);
            return true;
        } catch (MqttException e) {
            return switch (e.getReasonCode()) {
                case MqttClientException.REASON_CODE_MAX_INFLIGHT -> false;
                case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
                        MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
                        MqttClientException.REASON_CODE_CLIENT_CLOSED -> throw PublishFailedException.notConnected();
                default -> throw new PublishFailedException(Failures.describe(e));
            };
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            client.disconnectForcibly(0, 500, true);
        } catch (MqttException | RuntimeException notConnected) {
            // closed below all the same
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing is left to release
        }
    }

    private static List<String> refused(String[] topics, int[] reasonCodes) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < topics.length; i++) {
            if (reasonCodes == null || i >= reasonCodes.length || reasonCodes[i] >= FAILURE) {
                refused.add(topics[i]);
            }
        }
        return refused;
    }

    private static ConnectionException failure(MqttException e) {
        String reason = Failures.describe(e);
        return switch (e.getReasonCode()) {
            case MqttReturnCode.RETURN_CODE_UNSUPPORTED_PROTOCOL_VERSION,
                    MqttReturnCode.RETURN_CODE_IDENTIFIER_NOT_VALID,
                    MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED,
                    MqttReturnCode.RETURN_CODE_BANNED, MqttReturnCode.RETURN_CODE_BAD_AUTHENTICATION ->
                ConnectionException.permanent(reason, e);
            default -> ConnectionException.io(reason, e);
        };
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

    private static final class Callback implements MqttCallback {
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
            listener.messageArrived(topic, message.getPayload(), meta(topic, message));
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

    private static final class PublishFailures implements MqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onFailure(IMqttToken token, Throwable cause) {
            if (token.getUserContext() instanceof Consumer<?> failed) {
                ((Consumer<Throwable>) failed).accept(cause);
            }
        }
    }

    private static final class PingSender implements MqttPingSender {
        private final ScheduledExecutorService scheduler;
        private KeepAliveWatchdog watchdog;

        PingSender(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void init(ClientComms comms) {
            watchdog = new KeepAliveWatchdog(scheduler, comms::getKeepAlive, comms::checkForActivity);
        }

        @Override
        public void start() {
            watchdog.start();
        }

        @Override
        public void stop() {
            watchdog.stop();
        }

        @Override
        public void schedule(long delayInMilliseconds) {
            watchdog.schedule(delayInMilliseconds);
        }
    }
}
