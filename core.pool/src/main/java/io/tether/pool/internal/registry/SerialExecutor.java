package io.tether.pool.internal.registry;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tasks one after the other, in submission order, on a shared executor. */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Executor executor;
    private boolean running;

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException shutDown) {
            tasks.clear();
            running = false;
        }
    }

    private void drain() {
        Runnable next;
        while ((next = poll()) != null) {
            try {
                next.run();
            } catch (Throwable failed) {
                // a failing task (e.g. a listener whose bundle lost a class) must not stop the ones after it
                LOG.error("A status notification failed", SecretMasker.forLog(failed));
            }
        }
    }

    private synchronized Runnable poll() {
        Runnable next = tasks.poll();
        if (next == null) {
            running = false;
        }
        return next;
    }
}
