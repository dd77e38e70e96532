package io.tether.api.kit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lookups that, while the runtime starts, wait for what a bundle starting later brings (a connector type, a provider)
 * instead of answering "not there". Whoever holds the things looked up calls {@link #arrived()} when one comes; the
 * start's end ({@link #runtimeStarting(boolean) runtimeStarting(false)}, from {@link RuntimeStart#follow}) releases
 * every waiter. Callers must hold no lock that an arrival needs.
 */
public final class StartupArrivals {
    private volatile boolean runtimeStarting;

    public synchronized void runtimeStarting(boolean starting) {
        runtimeStarting = starting;
        notifyAll();
    }

    public boolean runtimeStarting() {
        return runtimeStarting;
    }

    public synchronized void arrived() {
        notifyAll();
    }

    /** The lookup's answer; while the runtime starts and it is empty, asked again at each arrival until {@code maxWait}. */
    public <T> Optional<T> await(Supplier<Optional<T>> lookup, Duration maxWait) {
        Optional<T> found = lookup.get();
        if (found.isPresent() || !runtimeStarting) {
            return found;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (this) {
            while ((found = lookup.get()).isEmpty() && runtimeStarting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return found;
    }
}
