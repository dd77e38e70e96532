package io.tether.pool.internal.dial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;

/** SPEC §3: backoff settings overridden per connection in props. */
class BackoffPropsTest {

    @Test
    void propsWithoutBackoffKeepThePoolsBackoffAndGoToTheConnectorAsTheyAre() {
        Map<String, Object> props = Map.of("server", "tcp://h:1883");
        assertSame(Backoff.DEFAULT, BackoffProps.backoff(props, Backoff.DEFAULT));
        assertSame(props, BackoffProps.connectorProps(props));
        assertEquals(List.of(), BackoffProps.problems(props, Backoff.DEFAULT));
    }

    @Test
    void eachGivenPropOverridesItsSettingOnly() {
        Map<String, Object> props = Map.of("server", "s", "backoffMaxMillis", 60_000, "backoffMultiplier", 2);
        assertEquals(new Backoff(Duration.ofMillis(100), 2, Duration.ofMinutes(1)),
                BackoffProps.backoff(props, Backoff.DEFAULT));
        assertEquals(Map.of("server", "s"), BackoffProps.connectorProps(props));
    }

    @Test
    void badValuesNameTheProp() {
        assertEquals(List.of(new PropError("backoffInitialMillis",
                "must be a whole number of milliseconds of at least 1, not 1.5")),
                BackoffProps.problems(Map.of("backoffInitialMillis", 1.5), Backoff.DEFAULT));
        assertEquals(List.of(new PropError("backoffMaxMillis",
                "must be a whole number of milliseconds of at least 1, not 10s")),
                BackoffProps.problems(Map.of("backoffMaxMillis", "10s"), Backoff.DEFAULT));
        assertEquals(List.of(new PropError("backoffMaxMillis",
                "must be at least the initial delay of 100 ms, not 50")),
                BackoffProps.problems(Map.of("backoffMaxMillis", 50), Backoff.DEFAULT));
        assertEquals(List.of(new PropError("backoffInitialMillis",
                "must be at most the maximum delay of 10000 ms (backoffMaxMillis), not 60000")),
                BackoffProps.problems(Map.of("backoffInitialMillis", 60_000), Backoff.DEFAULT));
        assertEquals(List.of(new PropError("backoffMultiplier", "must be a number of at least 1, not 0")),
                BackoffProps.problems(Map.of("backoffMultiplier", 0), Backoff.DEFAULT));
    }
}
