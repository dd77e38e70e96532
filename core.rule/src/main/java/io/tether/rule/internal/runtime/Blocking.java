package io.tether.rule.internal.runtime;

import java.util.concurrent.ForkJoinPool;

/** Runs work that may block (a sink's I/O) so that a {@link ForkJoinPool} running it can add a thread meanwhile. */
final class Blocking implements ForkJoinPool.ManagedBlocker {

    /** Work that may block and fail. */
    interface Work {
        void run() throws Exception;
    }

    private final Work work;
    private Exception failure;
    private boolean done;

    private Blocking(Work work) {
        this.work = work;
    }

    static void run(Work work) throws Exception {
        Blocking blocking = new Blocking(work);
        ForkJoinPool.managedBlock(blocking);
        if (blocking.failure != null) {
            throw blocking.failure;
        }
    }

    @Override
    public boolean block() {
        try {
            work.run();
        } catch (Exception e) {
            failure = e;
        }
        done = true;
        return true;
    }

    @Override
    public boolean isReleasable() {
        return done;
    }
}
