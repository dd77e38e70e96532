package io.tether.conn.sql.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions by polling with a deadline: the tests never sleep a fixed time. */
public final class Poll {
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private Poll() {
    }

    public static void until(String what, BooleanSupplier condition, Supplier<?> lastSeen) {
        await(what, PATIENCE, () -> condition.getAsBoolean() ? Boolean.TRUE : null, lastSeen);
    }

    public static <T> T await(String what, Duration timeout, Supplier<T> value, Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what + "; last seen: "
                        + lastSeen.get());
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
