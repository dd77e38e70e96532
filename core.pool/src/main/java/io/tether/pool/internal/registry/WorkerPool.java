package io.tether.pool.internal.registry;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's worker threads (dials, pings, closes, status notifications): at most {@code bound} named threads,
 * plus one stand-in for each dial or ping that overran its time limit and whose thread has not come back, so that
 * a connector that ignores interrupts never starves the others. The pool keeps at most one such thread per
 * connection: it does not dial a connection again while its abandoned operation still holds a thread.
 */
public final class WorkerPool extends ThreadPoolExecutor {
    private int bound;
    private int standIns;

    public WorkerPool(String namePrefix, int bound) {
        super(bound, bound, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named(namePrefix));
        this.bound = bound;
        allowCoreThreadTimeOut(true);
    }

    /** Applies a new bound; threads beyond it end when idle. */
    public synchronized void setBound(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, not " + bound);
        }
        this.bound = bound;
        resize();
    }

    /** The number of threads the pool may run now: its bound plus the stand-ins for blocked threads. */
    public synchronized int size() {
        return bound + standIns;
    }

    synchronized void addStandIn() {
        standIns++;
        resize();
    }

    synchronized void removeStandIn() {
        standIns--;
        resize();
    }

    private void resize() {
        int size = bound + standIns;
        if (size > getMaximumPoolSize()) {
            setMaximumPoolSize(size);
            setCorePoolSize(size);
        } else {
            setCorePoolSize(size);
            setMaximumPoolSize(size);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
