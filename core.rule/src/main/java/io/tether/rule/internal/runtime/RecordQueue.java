package io.tether.rule.internal.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's buffer: the work its source hands on, run in order, one task at a time, on the shared
 * {@link RuleWorkers}. Bounded by the rule's {@code bufferLength}: a source that finds it full waits for room as
 * long as it chose to (SPEC §7, backpressure). It takes memory as it fills and gives it back once drained, so that
 * hundreds of idle rules with large buffers cost little.
 */
final class RecordQueue {
    /** What became of work offered. */
    enum Outcome {
        ACCEPTED, FULL, STOPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(RecordQueue.class);
    /** Tasks run per turn on a worker, so that a busy rule lets the others have the workers too. */
    private static final int TURN = 64;
    /** A drained deque that grew beyond this many slots is replaced by a small one. */
    private static final int KEPT_SLOTS = 256;

    private final String ruleId;
    private final int capacity;
    private final RuleWorkers workers;
    private final UnaryOperator<String> mask;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable turn = this::runTurn;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition drained = lock.newCondition();
    /** Guarded by {@link #lock}, as every field below. */
    private ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private int peak;
    /** Room held by {@link #reserve reservations}, not yet committed or released. */
    private int reserved;
    private boolean closed;
    private int waiters;
    private long waitersStartSum;
    private long blockedNanos;

    /** @param mask masks the secrets a failure's message may hold, for the log */
    RecordQueue(String ruleId, int capacity, RuleWorkers workers, UnaryOperator<String> mask) {
        this.ruleId = ruleId;
        this.capacity = capacity;
        this.workers = workers;
        this.mask = mask;
    }

    /**
     * Queues the task once there is room, waiting at most {@code maxWaitNanos} ({@link Long#MAX_VALUE}: without
     * limit, 0: not at all). The wait ends at once when the queue {@link #close closes}.
     *
     * @throws InterruptedException when interrupted while waiting: the task was not queued
     */
    Outcome offer(Runnable task, long maxWaitNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Outcome room = takeRoom(maxWaitNanos);
            if (room != Outcome.ACCEPTED) {
                return room;
            }
            add(task);
        } finally {
            lock.unlock();
        }
        schedule();
        return Outcome.ACCEPTED;
    }

    /**
     * Holds room for one task, waiting as {@link #offer} does; an {@code ACCEPTED} reservation ends with
     * {@link #commit} or {@link #release}. A queue {@link #stop stopping} waits for the room held, as for the work
     * taken.
     */
    Outcome reserve(long maxWaitNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Outcome room = takeRoom(maxWaitNanos);
            if (room == Outcome.ACCEPTED) {
                reserved++;
            }
            return room;
        } finally {
            lock.unlock();
        }
    }

    /** Queues the task into room held by {@link #reserve}, also when the queue closed meanwhile. */
    void commit(Runnable task) {
        lock.lock();
        try {
            reserved--;
            add(task);
        } finally {
            lock.unlock();
        }
        schedule();
    }

    /** Gives back room held by {@link #reserve}. */
    void release() {
        lock.lock();
        try {
            reserved--;
            if (waiters > 0) {
                notFull.signal();
            }
            if (reserved == 0 && tasks.isEmpty() && !scheduled.get()) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private Outcome takeRoom(long maxWaitNanos) throws InterruptedException {
        if (closed) {
            return Outcome.STOPPED;
        }
        if (isFull()) {
            if (maxWaitNanos <= 0) {
                return Outcome.FULL;
            }
            if (!awaitRoom(maxWaitNanos)) {
                return closed ? Outcome.STOPPED : Outcome.FULL;
            }
        }
        return Outcome.ACCEPTED;
    }

    private boolean isFull() {
        return tasks.size() + reserved >= capacity;
    }

    private void add(Runnable task) {
        tasks.add(task);
        peak = Math.max(peak, tasks.size());
    }

    /** @return whether there is room now; {@code false} when the wait ran out or the queue closed meanwhile */
    private boolean awaitRoom(long maxWaitNanos) throws InterruptedException {
        long start = System.nanoTime();
        waiters++;
        waitersStartSum += start;
        try {
            long left = maxWaitNanos;
            while (isFull() && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = notFull.awaitNanos(left);
            }
            return !closed;
        } finally {
            waiters--;
            waitersStartSum -= start;
            blockedNanos += System.nanoTime() - start;
        }
    }

    /** A wait as nanoseconds for {@link #offer}: negative is none, too long for a {@code long} is without limit. */
    static long nanos(Duration wait) {
        if (wait.isNegative()) {
            return 0;
        }
        try {
            return wait.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    int capacity() {
        return capacity;
    }

    /** How long sources waited for room in this buffer so far, waits in progress included. */
    long blockedMillis() {
        lock.lock();
        try {
            long inProgress = waiters * System.nanoTime() - waitersStartSum;
            return TimeUnit.NANOSECONDS.toMillis(blockedNanos + inProgress);
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more work: waiting sources return at once; the work taken still runs. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #close Closes} and waits, at most {@code timeout}, until the work taken (and the room held) has run. What has not run by
     * then is dropped, and logged.
     */
    void stop(Duration timeout) {
        close();
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!tasks.isEmpty() || scheduled.get() || reserved > 0) {
                if (left <= 0) {
                    if (!tasks.isEmpty()) {
                        LOG.warn("rule {} stopped with {} accepted records not processed within {} ms: they are lost",
                                ruleId, tasks.size(), timeout.toMillis());
                        tasks = new ArrayDeque<>();
                    }
                    return;
                }
                left = drained.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                workers.execute(turn);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
                lock.lock();
                try {
                    LOG.warn("rule {} cannot run: its workers shut down; {} accepted records are lost", ruleId,
                            tasks.size());
                    tasks = new ArrayDeque<>();
                    drained.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private Runnable poll() {
        lock.lock();
        try {
            Runnable task = tasks.poll();
            if (task != null && waiters > 0) {
                notFull.signal();
            }
            if (tasks.isEmpty() && peak > KEPT_SLOTS) {
                tasks = new ArrayDeque<>();
                peak = 0;
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    private void runTurn() {
        for (int i = 0; i < TURN; i++) {
            Runnable task = poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("rule {} failed to process a record: {}", ruleId, mask.apply(e.toString()));
            }
        }
        scheduled.set(false);
        boolean more;
        lock.lock();
        try {
            more = !tasks.isEmpty();
            if (!more) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (more) {
            schedule();
        }
    }
}
