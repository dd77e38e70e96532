package io.tether.lib.mqtt;

import java.util.Map;

/** What a {@link BrokerClient} reports, from its own threads. */
public interface BrokerListener {

    /**
     * A message arrived; {@code meta} holds topic, qos, messageId, retained and any MQTT 5 properties. Must not wait.
     *
     * @param acknowledge sends the message's acknowledgement (QoS 1); call it once the message is handed on, in
     *                    arrival order. It does nothing for QoS 0, for QoS 2 (acknowledged on arrival: Paho 1.2.5's
     *                    manual acknowledgement of QoS 2 is broken) and once the link the message came on is gone
     *                    (a persistent session's broker sends the message again).
     */
    void messageArrived(String topic, byte[] payload, Map<String, Object> meta, Runnable acknowledge);

    /** The connected link was lost (or the broker disconnected the client). */
    void connectionLost(String reason);
}
