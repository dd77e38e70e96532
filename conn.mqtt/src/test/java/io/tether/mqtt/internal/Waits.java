package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls conditions with deadlines: the tests never sleep a fixed time when something can be polled. */
final class Waits {
    /** For things that happen in the background on a busy CI machine. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private Waits() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, condition);
    }

    static void until(String what, BooleanSupplier condition, Supplier<?> lastSeen) {
        until(what, PATIENCE, condition, lastSeen);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
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
