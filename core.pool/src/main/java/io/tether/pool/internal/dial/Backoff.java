package io.tether.pool.internal.dial;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (SPEC §3): the n-th retry waits a random time in
 * [0, min(cap, initial × multiplier^n)].
 */
public record Backoff(Duration initial, double multiplier, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(10));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || multiplier < 1 || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("invalid backoff " + initial + " × " + multiplier + " ≤ " + cap);
        }
    }

    /** The upper bound of the delay before retry number {@code attempt} (0 for the first retry). */
    public long ceilingMillis(int attempt) {
        double ceiling = initial.toMillis() * Math.pow(multiplier, attempt);
        return (long) Math.min(cap.toMillis(), ceiling);
    }

    /** The delay before retry number {@code attempt}, given a random number in [0, 1). */
    public long delayMillis(int attempt, DoubleSupplier random) {
        return Math.round(random.getAsDouble() * ceilingMillis(attempt));
    }
}
