package io.tether.rule.internal.runtime;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's buffer: the work its source hands on, run in order, one task at a time, on the shared
 * {@link RuleWorkers}. Bounded: work offered while it is full is refused, so that a slow rule never holds up its
 * source's thread.
 */
final class RecordQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RecordQueue.class);
    /** Tasks run per turn on a worker, so that a busy rule lets the others have the workers too. */
    private static final int TURN = 64;

    private final String ruleId;
    private final int capacity;
    private final ArrayBlockingQueue<Runnable> tasks;
    private final RuleWorkers workers;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable turn = this::runTurn;
    private volatile boolean stopped;

    RecordQueue(String ruleId, int capacity, RuleWorkers workers) {
        this.ruleId = ruleId;
        this.capacity = capacity;
        this.tasks = new ArrayBlockingQueue<>(capacity);
        this.workers = workers;
    }

    /** @return {@code false} when the buffer is full or the queue stopped: the task will not run */
    boolean offer(Runnable task) {
        if (stopped || !tasks.offer(task)) {
            return false;
        }
        schedule();
        return true;
    }

    int capacity() {
        return capacity;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Takes no more work and waits, at most {@code timeout}, until the work taken has run. */
    void stop(Duration timeout) {
        stopped = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!tasks.isEmpty() || scheduled.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("rule {} stopped with {} records not processed", ruleId, tasks.size());
                    tasks.clear();
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                workers.execute(turn);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
                tasks.clear();
            }
        }
    }

    private void runTurn() {
        for (int i = 0; i < TURN; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("rule {} failed to process a record", ruleId, e);
            }
        }
        scheduled.set(false);
        if (!tasks.isEmpty()) {
            schedule();
        } else if (stopped) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
