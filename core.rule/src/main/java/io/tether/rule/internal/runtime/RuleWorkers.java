package io.tether.rule.internal.runtime;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every rule runs on: a work-stealing pool about as large as the machine has cores. A rule gets no
 * thread of its own, so a record that fans out to hundreds of rules wakes a few threads, not one per rule. A sink
 * that was slow to send is called as a managed block ({@link Blocking}): while it waits for its peer the pool adds
 * a thread, so the other rules go on.
 */
final class RuleWorkers implements AutoCloseable {
    private final ForkJoinPool pool;

    RuleWorkers() {
        AtomicInteger count = new AtomicInteger();
        pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()), forkJoinPool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(forkJoinPool);
            thread.setName("tether-rules-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, null, true);
    }

    void execute(Runnable task) {
        pool.execute(task);
    }

    /** Lets the running tasks finish, at most a few seconds; every worker thread is gone after. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
