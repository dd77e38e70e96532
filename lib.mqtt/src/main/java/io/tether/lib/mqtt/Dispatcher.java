package io.tether.lib.mqtt;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a connection's arriving messages to its subscribers in arrival order, off Paho's threads. Paho's callback
 * thread must never wait: it also completes the connection's outgoing publishes (their PUBACKs free the in-flight
 * window that a rule relaying through the same connection waits for), and once it stalls Paho's reader stops too,
 * leaving PINGRESPs unread until the link is dropped after keepAlive. So {@link #dispatch} only queues, and the
 * deliveries run on a thread borrowed from a shared pool while the queue is not empty, one at a time.
 * <p>
 * The queue grows with use and is bounded without preallocation: deliveries that acknowledge to the broker (QoS 1)
 * are bounded by the broker's in-flight window, since the broker sends no more until they are acknowledged after
 * their delivery; those that cannot be acknowledged (QoS 0) are capped at {@link #CAPPED_BACKLOG}, beyond which they
 * are refused.
 */
public final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    /** The most QoS 0 messages a connection holds for its subscribers; beyond, arriving ones are dropped. */
    public static final int CAPPED_BACKLOG = 10_000;

    /** One message handed to subscribers (and acknowledged after); interrupted when the dispatcher stops. */
    @FunctionalInterface
    public interface Delivery {
        void run() throws InterruptedException;
    }

    private record Entry(Delivery delivery, boolean capped) {
    }

    private final Executor threads;
    private final int cap;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger cappedQueued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean stopped;
    /** Guarded by this: the thread running deliveries, interrupted by {@link #stop}. */
    private Thread drainer;

    public Dispatcher(Executor threads) {
        this(threads, CAPPED_BACKLOG);
    }

    public Dispatcher(Executor threads, int cap) {
        this.threads = threads;
        this.cap = cap;
    }

    /** Queues a delivery that the broker's in-flight window bounds. Ignored once stopped. */
    public void dispatch(Delivery delivery) {
        if (!stopped) {
            queue.add(new Entry(delivery, false));
            schedule();
        }
    }

    /**
     * Queues a delivery unless {@link #CAPPED_BACKLOG} capped ones already wait.
     *
     * @return {@code false} when the delivery was refused (the backlog is full)
     */
    public boolean dispatchCapped(Delivery delivery) {
        if (stopped) {
            return true;
        }
        if (cappedQueued.incrementAndGet() > cap) {
            cappedQueued.decrementAndGet();
            return false;
        }
        queue.add(new Entry(delivery, true));
        schedule();
        return true;
    }

    /**
     * Stops: the delivery in progress is interrupted (its message is not acknowledged), queued ones are dropped
     * unacknowledged, so that a persistent session's broker sends them again.
     */
    public void stop() {
        synchronized (this) {
            stopped = true;
            if (drainer != null) {
                drainer.interrupt();
            }
        }
        queue.clear();
        cappedQueued.set(0);
    }

    /** Deliveries waiting (not counting one in progress). */
    public int backlog() {
        return queue.size();
    }

    private void schedule() {
        while (!stopped && !queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                threads.execute(this::drain);
                return;
            } catch (RejectedExecutionException bundleStopping) {
                draining.set(false);
                return;
            }
        }
    }

    private void drain() {
        synchronized (this) {
            if (stopped) {
                draining.set(false);
                return;
            }
            drainer = Thread.currentThread();
        }
        try {
            Entry entry;
            while (!stopped && (entry = queue.poll()) != null) {
                if (entry.capped()) {
                    cappedQueued.decrementAndGet();
                }
                try {
                    entry.delivery().run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A message delivery failed", e);
                }
            }
        } catch (InterruptedException stoppedMeanwhile) {
            // stop() interrupted the delivery: the rest is dropped
        } finally {
            synchronized (this) {
                drainer = null;
            }
            // an interrupt meant for this dispatcher must not reach the pool thread's next task
            Thread.interrupted();
            draining.set(false);
        }
        schedule();
    }
}
