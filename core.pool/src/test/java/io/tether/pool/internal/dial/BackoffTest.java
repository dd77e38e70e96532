package io.tether.pool.internal.dial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** SPEC §3: first delay 100 ms, multiplier 1.5, full jitter, cap 10 s. */
class BackoffTest {

    @Test
    void ceilingsGrowByTheMultiplierUpToTheCap() {
        List<Long> ceilings = IntStream.range(0, 14).mapToObj(Backoff.DEFAULT::ceilingMillis).toList();
        assertEquals(List.of(100L, 150L, 225L, 337L, 506L, 759L, 1139L, 1708L, 2562L, 3844L, 5766L, 8649L, 10000L,
                10000L), ceilings);
        assertEquals(10_000L, Backoff.DEFAULT.ceilingMillis(1000));
    }

    @Test
    void delaysAreFullyJitteredBetweenZeroAndTheCeiling() {
        assertEquals(0L, Backoff.DEFAULT.delayMillis(3, () -> 0.0));
        assertEquals(169L, Backoff.DEFAULT.delayMillis(3, () -> 0.5));
        assertEquals(10_000L, Backoff.DEFAULT.delayMillis(50, () -> 0.99999999));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 1.5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofMillis(100), 0.5, Duration.ofSeconds(1)));
    }
}
