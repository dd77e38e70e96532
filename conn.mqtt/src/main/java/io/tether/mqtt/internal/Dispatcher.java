package io.tether.mqtt.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands arriving messages to subscribers on a thread of the connection's own, in arrival order. Paho reads every
 * packet of a connection on one thread: if a subscriber's work (a rule that publishes through the same connection)
 * ran on it and waited for room in the in-flight window, the PUBACKs that make room would never be read. Here Paho's
 * thread only enqueues; when the queue is full it waits, which pushes back on the broker through TCP.
 */
final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    static final int CAPACITY = 100_000;

    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean stopped;

    Dispatcher(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a delivery; waits while the queue is full. Dropped once stopped. */
    void dispatch(Runnable delivery) {
        try {
            while (!stopped && !queue.offer(delivery, 100, TimeUnit.MILLISECONDS)) {
                // full: wait for the subscribers to catch up, unless the connection closes meanwhile
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread; queued deliveries are dropped. Waits briefly for a delivery in progress. */
    void stop() {
        stopped = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queue.clear();
    }

    private void run() {
        while (!stopped) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A message delivery failed", e);
            }
        }
    }
}
