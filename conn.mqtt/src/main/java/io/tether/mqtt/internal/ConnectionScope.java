package io.tether.mqtt.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.tether.lib.mqtt.Subscriptions;

/**
 * What belongs to a connection id rather than to one of its instances, held in the runtime's
 * {@link io.tether.api.kit.ConnectionScopes}: the consumers' subscriptions, and the client id made up when the props
 * name none (kept so that a persistent session survives reconnects and updates).
 */
final class ConnectionScope {
    private static final SecureRandom RANDOM = new SecureRandom();

    final Subscriptions subscriptions = new Subscriptions(MqttRuntime::bundleActive);
    private String generatedClientId;

    /** {@code tether_} and 16 hex digits: 23 characters, the longest client id MQTT 3.1 brokers must accept. */
    synchronized String generatedClientId() {
        if (generatedClientId == null) {
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            generatedClientId = "tether_" + HexFormat.of().formatHex(bytes);
        }
        return generatedClientId;
    }
}
