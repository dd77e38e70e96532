package io.tether.lib.mqtt.internal;

import java.util.function.BooleanSupplier;

/**
 * Lets a QoS 1 message's PUBACK reach Paho only while the link the message came on is up.
 * <p>
 * Paho queues a PUBACK whatever its state, and one queued once the link is down is not dropped: when the next connect
 * starts, Paho's new sender thread finds it at the head of its queue instead of CONNECT and stops at once (1.2.5,
 * {@code ClientState.get}), CONNECT is never sent, the connect thread waits forever for the sender to run
 * ({@code CommsSender.start}), the connect times out (32000) and every later one is "already in progress" (32110).
 * The check of the link and the hand-over to Paho are one step under this object's lock, so once
 * {@link #newSession()} returned no acknowledgement of an earlier session is on its way into Paho. One may still have
 * slipped in between Paho's own clearing of its queue at a link loss and that loss being visible: the client resets
 * Paho's state after {@code newSession()} and before connecting.
 */
final class SessionAcknowledgements {
    /** Hands a PUBACK to Paho. */
    @FunctionalInterface
    interface Sender {
        void acknowledge(int messageId) throws Exception;
    }

    private final BooleanSupplier connected;
    private final Sender sender;
    /** Guarded by this: counts the client's connects. */
    private int session;

    SessionAcknowledgements(BooleanSupplier connected, Sender sender) {
        this.connected = connected;
        this.sender = sender;
    }

    /**
     * A connect begins: acknowledgements of messages that came on earlier links are dropped from now on (the broker of
     * a persistent session sends those messages again).
     *
     * @return whether the client connected, or tried to, before
     */
    synchronized boolean newSession() {
        return session++ > 0;
    }

    /** The acknowledgement of a message arriving now: it goes out only on this message's link. */
    synchronized Runnable of(int messageId) {
        int arrivedIn = session;
        return () -> acknowledge(arrivedIn, messageId);
    }

    private synchronized void acknowledge(int arrivedIn, int messageId) {
        if (session != arrivedIn || !connected.getAsBoolean()) {
            return;
        }
        try {
            sender.acknowledge(messageId);
        } catch (Exception linkGone) {
            // the broker of a persistent session sends the message again
        }
    }
}
