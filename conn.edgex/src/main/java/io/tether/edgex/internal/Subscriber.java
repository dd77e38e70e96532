package io.tether.edgex.internal;

/** A source's subscription to an EdgeX topic, kept per connection id so that each new client subscribes it again. */
interface Subscriber {

    /** The topic filter, MQTT style. */
    String topic();

    /**
     * Hands on one envelope.
     *
     * @param acknowledged {@code true} when the bus waits for an acknowledgement (JetStream, MQTT QoS 1 and 2) and
     *                     sends the message again without one: the source may then wait long for its rule
     * @return {@code true} when the message may be acknowledged: the rule accepted it, dropped it by its own choice,
     *         or it was malformed (sending it again would not help); {@code false} when it must come again
     */
    boolean deliver(Envelope envelope, boolean acknowledged) throws InterruptedException;

    /** A message that is no envelope, or a subscription the bus refused: counted on the source. */
    void failed(String reason);
}
