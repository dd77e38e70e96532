package io.tether.pool.internal.dial;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tether.api.connection.PropError;

/**
 * A connection's own backoff (SPEC §3) and dial time limit: props named like the pool's configuration override it
 * for that connection. The pool reads them; its connector never sees them.
 */
public final class BackoffProps {
    public static final String INITIAL = "backoffInitialMillis";
    public static final String MULTIPLIER = "backoffMultiplier";
    public static final String MAX = "backoffMaxMillis";
    public static final String DIAL_TIMEOUT = "dialTimeoutMillis";
    private static final Set<String> NAMES = Set.of(INITIAL, MULTIPLIER, MAX, DIAL_TIMEOUT);

    private BackoffProps() {
    }

    /** The props meant for the connector: all but the backoff props. */
    public static Map<String, Object> connectorProps(Map<String, Object> props) {
        if (props.keySet().stream().noneMatch(NAMES::contains)) {
            return props;
        }
        Map<String, Object> rest = new LinkedHashMap<>(props);
        rest.keySet().removeAll(NAMES);
        return Map.copyOf(rest);
    }

    /** What is wrong with the backoff props, relative to {@code defaults}; empty when they are fine or absent. */
    public static List<PropError> problems(Map<String, Object> props, Backoff defaults) {
        try {
            backoff(props, defaults);
            dialTimeout(props, Duration.ofMillis(1));
            return List.of();
        } catch (InvalidBackoff e) {
            return List.of(e.problem);
        }
    }

    /** The backoff of a connection with {@code props}: {@code defaults} overridden by its backoff props. */
    public static Backoff backoff(Map<String, Object> props, Backoff defaults) {
        if (!props.containsKey(INITIAL) && !props.containsKey(MULTIPLIER) && !props.containsKey(MAX)) {
            return defaults;
        }
        long initial = millis(props, INITIAL, defaults.initial());
        long max = millis(props, MAX, defaults.cap());
        double multiplier = defaults.multiplier();
        Object value = props.get(MULTIPLIER);
        if (value != null) {
            if (!(value instanceof Number number) || number.doubleValue() < 1) {
                throw new InvalidBackoff(MULTIPLIER, "must be a number of at least 1, not " + value);
            }
            multiplier = number.doubleValue();
        }
        if (max < initial) {
            throw props.containsKey(MAX)
                    ? new InvalidBackoff(MAX, "must be at least the initial delay of " + initial + " ms, not " + max)
                    : new InvalidBackoff(INITIAL, "must be at most the maximum delay of " + max + " ms ("
                            + MAX + "), not " + initial);
        }
        return new Backoff(Duration.ofMillis(initial), multiplier, Duration.ofMillis(max));
    }

    /** How long a dial of a connection with {@code props} may take: its own limit, or {@code defaultLimit}. */
    public static Duration dialTimeout(Map<String, Object> props, Duration defaultLimit) {
        return Duration.ofMillis(millis(props, DIAL_TIMEOUT, defaultLimit));
    }

    private static long millis(Map<String, Object> props, String name, Duration defaultValue) {
        Object value = props.get(name);
        if (value == null) {
            return defaultValue.toMillis();
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.longValue() < 1) {
            throw new InvalidBackoff(name, "must be a whole number of milliseconds of at least 1, not " + value);
        }
        return number.longValue();
    }

    /** Thrown by {@link #backoff} for props that {@link #problems} reports. */
    public static final class InvalidBackoff extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient PropError problem;

        InvalidBackoff(String prop, String message) {
            super(prop + ": " + message);
            this.problem = new PropError(prop, message);
        }
    }
}
