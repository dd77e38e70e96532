package io.tether.lib.mqtt;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import io.tether.api.connection.ConnectionException;
import io.tether.lib.mqtt.internal.Mqtt3Client;
import io.tether.lib.mqtt.internal.Mqtt5Client;

/**
 * One Paho client (the MQTT 3 or the MQTT 5 one) as a connection uses it. Its own reconnect loop is off: after a lost
 * link the connection connects the same client again, which keeps a persistent session's in-flight messages.
 */
public interface BrokerClient {

    /**
     * A client for the settings' protocol version, not connected yet.
     *
     * @param clientId  the MQTT client id; two live clients with one id disconnect each other (see {@link ClientIds})
     * @param scheduler runs the client's keep-alive checks ({@link ClientThreads#scheduler()})
     * @param connectTimeout Paho's own bound of the socket connect and TLS handshake
     * @throws ConnectionException (permanent) when the settings cannot make a client, e.g. unreadable TLS files
     */
    static BrokerClient create(MqttClientSettings settings, String clientId, ScheduledExecutorService scheduler,
            BrokerListener listener, Duration connectTimeout) throws ConnectionException {
        try {
            return settings.protocolVersion() == ProtocolVersion.V5
                    ? new Mqtt5Client(settings, clientId, scheduler, listener, connectTimeout)
                    : new Mqtt3Client(settings, clientId, scheduler, listener, connectTimeout);
        } catch (GeneralSecurityException | IOException e) {
            throw ConnectionException.permanent("cannot set up TLS: " + Failures.describe(e), e);
        } catch (org.eclipse.paho.client.mqttv3.MqttException | org.eclipse.paho.mqttv5.common.MqttException e) {
            throw ConnectionException.permanent(Failures.describe(e), e);
        } catch (IllegalArgumentException e) {
            // Paho's refusal quotes the server URL, password included: the masked text replaces it, cause and all
            String server = settings.server();
            throw ConnectionException.permanent(
                    Failures.describe(e).replace(server, MqttClientSettings.masked(server)), null);
        }
    }

    /** Connects and waits for CONNACK; the failure says whether retrying can help. */
    void connect(Duration timeout) throws ConnectionException;

    /**
     * Sends one SUBSCRIBE packet for the filters. The future completes with the filters the broker refused once
     * SUBACK is in, or fails when the client is not connected or the link goes down first.
     */
    CompletableFuture<List<String>> subscribe(Map<String, Integer> filters);

    /** Unsubscribes without waiting. */
    void unsubscribeLater(Collection<String> filters);

    /**
     * Queues a message for sending.
     *
     * @param outcome completed once the broker acknowledged the message (QoS 1 and 2) or it was written (QoS 0);
     *                failed with a {@link io.tether.api.io.DeliveryException} when it cannot be delivered after all,
     *                or when the client is closed first
     * @return {@code false} when the in-flight window is full: nothing was queued
     * @throws PublishFailedException when the client is not connected or refuses the message
     */
    boolean publish(String topic, byte[] payload, int qos, boolean retained, CompletableFuture<Void> outcome)
            throws PublishFailedException;

    boolean isConnected();

    /**
     * Disconnects (sending DISCONNECT when it can, within a short time) and stops every thread of the client. Arrived
     * messages not acknowledged yet stay so; publishes not acknowledged yet fail, retryable.
     */
    void close();
}
