package io.tether.lib.mqtt;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that a bundle's MQTT clients share: one scheduler for every client's keep-alive checks, and the threads
 * that hand arriving messages on (one only while a connection has messages to hand on, none per idle connection).
 * A bundle makes one when it starts and {@linkplain #close() closes} it when it stops.
 */
public final class ClientThreads implements AutoCloseable {
    /** How long an idle dispatch thread is kept for the next burst. */
    private static final long DISPATCH_IDLE_SECONDS = 10;

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService dispatchThreads;

    /** @param name names the threads: {@code tether-<name>-keepalive-N}, {@code tether-<name>-dispatch-N} */
    public ClientThreads(String name) {
        AtomicInteger keepAlives = new AtomicInteger();
        AtomicInteger dispatchers = new AtomicInteger();
        scheduler = new ScheduledThreadPoolExecutor(1, task -> daemon(task,
                "tether-" + name + "-keepalive-" + keepAlives.incrementAndGet()));
        scheduler.setRemoveOnCancelPolicy(true);
        dispatchThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, DISPATCH_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> daemon(task,
                        "tether-" + name + "-dispatch-" + dispatchers.incrementAndGet()));
    }

    /** Runs the clients' keep-alive checks ({@link BrokerClient#create}). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs the connections' {@link Dispatcher}s: a thread per connection with messages to hand on. */
    public Executor dispatchThreads() {
        return dispatchThreads;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        dispatchThreads.shutdownNow();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
