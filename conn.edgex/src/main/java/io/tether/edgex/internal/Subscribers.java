package io.tether.edgex.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscriptions of one connection id, kept across its instances and their clients: a source adds its own and
 * removes only its own (a rule that stops never ends another rule's subscription, nor the client), and each client
 * the connection dials subscribes them all again.
 */
final class Subscribers {
    /** Each subscriber and its subscription on the current client (null while there is none). Guarded by this. */
    private final Map<Subscriber, Runnable> subscriptions = new LinkedHashMap<>();
    /** Guarded by this. */
    private BusClient client;

    /** Adds a subscriber, subscribed at once when a client is up; the returned action removes it. */
    synchronized Runnable add(Subscriber subscriber) {
        subscriptions.put(subscriber, client == null ? null : subscribe(client, subscriber));
        return () -> remove(subscriber);
    }

    private synchronized void remove(Subscriber subscriber) {
        Runnable unsubscribe = subscriptions.remove(subscriber);
        if (unsubscribe != null) {
            unsubscribe.run();
        }
    }

    /** Makes {@code dialled} the client of the connection id and subscribes everyone on it. */
    synchronized void attach(BusClient dialled) {
        client = dialled;
        subscriptions.replaceAll((subscriber, old) -> subscribe(dialled, subscriber));
    }

    /** Forgets {@code closing} (its subscriptions end with it), unless another client replaced it already. */
    synchronized void detach(BusClient closing) {
        if (client == closing) {
            client = null;
            subscriptions.replaceAll((subscriber, old) -> null);
        }
    }

    synchronized int size() {
        return subscriptions.size();
    }

    private static Runnable subscribe(BusClient on, Subscriber subscriber) {
        try {
            return on.subscribe(subscriber);
        } catch (IOException | RuntimeException e) {
            subscriber.failed("cannot subscribe to " + subscriber.topic() + ": " + e.getMessage());
            return null;
        }
    }
}
