package io.tether.mqtt.internal;

import java.util.Map;

/** What a {@link BrokerClient} reports, from its own threads. */
interface BrokerListener {

    /** A message arrived; {@code meta} holds topic, qos, messageId, retained and any MQTT 5 properties. */
    void messageArrived(String topic, byte[] payload, Map<String, Object> meta);

    /** The connected link was lost (or the broker disconnected the client). */
    void connectionLost(String reason);
}
