package io.tether.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions by polling with a deadline, so that tests never sleep a fixed time. */
public final class Poll {
    /** For things that happen in the background on a busy CI machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private Poll() {
    }

    /** Waits up to {@link #PATIENCE} until the condition holds, else fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, condition);
    }

    /** As {@link #until(String, BooleanSupplier)}; a failure also tells what {@code lastSeen} gives then. */
    public static void until(String what, BooleanSupplier condition, Supplier<?> lastSeen) {
        until(what, PATIENCE, condition, lastSeen);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> lastSeen) {
        await(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, lastSeen);
    }

    /**
     * Waits until {@code value} gives something other than {@code null}, and returns it.
     *
     * @throws AssertionError naming {@code what} and what {@code lastSeen} gives when the time is up
     */
    public static <T> T await(String what, Duration timeout, Supplier<T> value, Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                Object seen = lastSeen.get();
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what
                        + ("".equals(seen) ? "" : "; last seen: " + seen));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
