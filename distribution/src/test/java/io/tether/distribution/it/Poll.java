package io.tether.distribution.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions by polling, with a deadline: the tests never sleep a fixed time. */
public final class Poll {

    /** Deadline for things that happen in the background (dials, bundle events), generous for a busy CI machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private Poll() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, condition);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, () -> "");
    }

    /** Like {@link #until(String, BooleanSupplier)}, describing {@code lastSeen} when it fails. */
    public static void until(String what, BooleanSupplier condition, Supplier<?> lastSeen) {
        await(what, PATIENCE, () -> condition.getAsBoolean() ? Boolean.TRUE : null, lastSeen);
    }

    /**
     * Polls until {@code value} returns non-null and returns it.
     *
     * @param lastSeen described in the failure message (for example the last response)
     */
    public static <T> T await(String what, Duration timeout, Supplier<T> value, Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                T v = value.get();
                if (v != null) {
                    return v;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError(
                        "not within " + timeout.toMillis() + " ms: " + what + describe(lastSeen));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String describe(Supplier<?> lastSeen) {
        try {
            Object seen = lastSeen.get();
            return seen == null || "".equals(seen) ? "" : "; last seen: " + seen;
        } catch (RuntimeException e) {
            return "; last seen: " + e;
        }
    }
}
