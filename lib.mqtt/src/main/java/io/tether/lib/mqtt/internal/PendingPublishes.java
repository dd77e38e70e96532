package io.tether.lib.mqtt.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.api.io.DeliveryException;

/**
 * The outcomes of a client's publishes not known yet. Paho keeps a persistent session's unacknowledged publishes
 * across a lost link (and sends them again on reconnect), but never completes them once the client is closed: closing
 * fails them here, retryable.
 */
final class PendingPublishes {
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    void add(CompletableFuture<Void> outcome) {
        pending.add(outcome);
    }

    /** The publish was not queued after all. */
    void remove(CompletableFuture<Void> outcome) {
        pending.remove(outcome);
    }

    void succeeded(CompletableFuture<Void> outcome) {
        pending.remove(outcome);
        outcome.complete(null);
    }

    void failed(CompletableFuture<Void> outcome, DeliveryException failure) {
        pending.remove(outcome);
        outcome.completeExceptionally(failure);
    }

    /** Fails every outcome still pending: the client is closed. */
    void clientClosed() {
        for (CompletableFuture<Void> outcome : pending) {
            failed(outcome, DeliveryException.retryable("the connection was closed before the broker acknowledged "
                    + "the message", null));
        }
    }
}
