package io.tether.websocket.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one peer that its sources have not taken yet, handed to them in order by one runtime thread at a
 * time. The peer's next messages are read while earlier ones are being handed on, up to {@link #READ_AHEAD} messages
 * or {@link #READ_AHEAD_BYTES}; then reading waits until the sources took one, so a full rule still holds the peer back
 * through TCP. A burst costs one thread hand-off instead of one per message (WebSocketBenchmark: the relay went from
 * about a quarter of an echo endpoint's rate to about the same).
 * <p>
 * What was read and not handed on yet goes with a close, as frames the socket had buffered did before: a WebSocket
 * message is acknowledged to nobody.
 */
final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    static final int READ_AHEAD = 32;
    static final long READ_AHEAD_BYTES = 1 << 20;

    /** Hands one message to the sources, waiting until they took it. */
    @FunctionalInterface
    interface Delivery {
        void deliver(byte[] payload) throws InterruptedException;
    }

    private final ExecutorService threads;
    private final Delivery delivery;
    /** Guarded by this. */
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    /** Guarded by this. */
    private long queuedBytes;
    /** Guarded by this: whether a drain is scheduled or running (its future may be set a moment later). */
    private boolean draining;
    /** Guarded by this: the drain last scheduled, interrupted by {@link #close}. */
    private Future<?> drain;
    /** Guarded by this: completes when there is room again, while the reading waits for it. */
    private CompletableFuture<Void> room;
    /** Guarded by this: what runs once the peer is gone and everything read was handed on. */
    private Runnable whenFinished;
    /** Guarded by this. */
    private boolean closed;

    Inbox(ExecutorService threads, Delivery delivery) {
        this.threads = threads;
        this.delivery = delivery;
    }

    /**
     * Queues a message read from the peer.
     *
     * @return null to read the next one at once, or a stage that completes when the sources made room (or the inbox
     *         closed); the reading waits for it
     */
    synchronized CompletionStage<Void> add(byte[] payload) {
        if (closed || whenFinished != null) {
            return null;
        }
        queued.add(payload);
        queuedBytes += payload.length;
        if (!draining) {
            draining = true;
            try {
                drain = threads.submit(this::drain);
            } catch (RejectedExecutionException bundleStopping) {
                close();
                return null;
            }
        }
        if (hasRoom()) {
            return null;
        }
        room = new CompletableFuture<>();
        return room;
    }

    /** Whether the reading waits for the sources: nothing is read from the peer meanwhile. */
    synchronized boolean withholding() {
        return room != null;
    }

    /**
     * The peer is gone: what was read is still handed on, then {@code then} runs (at once when nothing is left).
     */
    void finish(Runnable then) {
        synchronized (this) {
            if (!closed && (draining || !queued.isEmpty())) {
                whenFinished = then;
                return;
            }
        }
        then.run();
    }

    /** Drops what was not handed on, interrupts a hand-off waiting for a rule, and lets a waiting reading go on. */
    void close() {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queued.clear();
            queuedBytes = 0;
            if (drain != null) {
                drain.cancel(true);
            }
            waiting = room;
            room = null;
        }
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private boolean hasRoom() {
        return queued.size() < READ_AHEAD && queuedBytes < READ_AHEAD_BYTES;
    }

    private void drain() {
        while (true) {
            byte[] next;
            CompletableFuture<Void> readOn = null;
            Runnable finished = null;
            synchronized (this) {
                next = closed ? null : queued.poll();
                if (next == null) {
                    draining = false;
                    finished = whenFinished;
                    whenFinished = null;
                } else {
                    queuedBytes -= next.length;
                    if (room != null && hasRoom()) {
                        readOn = room;
                        room = null;
                    }
                }
            }
            if (next == null) {
                if (finished != null) {
                    finished.run();
                }
                return;
            }
            if (readOn != null) {
                readOn.complete(null);
            }
            try {
                delivery.deliver(next);
            } catch (InterruptedException closing) {
                return;
            } catch (RuntimeException e) {
                // a broken source must not stop the others' messages
                LOG.warn("a websocket message could not be handed on", e);
            }
        }
    }
}
