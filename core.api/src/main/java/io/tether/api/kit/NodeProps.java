package io.tether.api.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;

/**
 * Checks and reads the props of a source or sink, collecting one {@link PropError} per problem, as
 * {@code SourceProvider.validate} and {@code SinkProvider.validate} answer. Props come as JSON or YAML gave them:
 * numbers and booleans may come as text. A getter that finds a wrong value records the problem and returns its
 * fallback, so one pass serves both {@code validate} (read {@link #problems()}) and {@code create}.
 * <pre>{@code
 * NodeProps node = new NodeProps(props).checkConnection(factory::validate);
 * String key = node.requiredString("key");
 * int batch = node.integer("batchSize", 1, 1, 10_000);
 * return node.problems();
 * }</pre>
 */
public final class NodeProps {
    private final Map<String, Object> props;
    private final List<PropError> problems = new ArrayList<>();

    public NodeProps(Map<String, Object> props) {
        this.props = props;
    }

    /**
     * The problems of a node's connection props: none when it names a connection with {@code connectionSelector}
     * (the pool checks that connection's props, and refuses a selector naming none), otherwise what the connector's
     * own check finds in them. An anonymous connection is created from the node's props, all of them: the check
     * must let the node's own props pass.
     *
     * @param connectionProps the props the node attaches with
     * @param validator       the connection type's check, e.g. {@code factory::validate}
     */
    public static List<PropError> connectionProblems(Map<String, Object> connectionProps,
            Function<Map<String, Object>, List<PropError>> validator) {
        return usesNamedConnection(connectionProps) ? List.of() : validator.apply(connectionProps);
    }

    /** {@code true} when the props name a connection with {@code connectionSelector}. */
    public static boolean usesNamedConnection(Map<String, Object> props) {
        return props.get(ConnectionPool.CONNECTION_SELECTOR) != null;
    }

    /** Records the {@link #connectionProblems connection problems} of these props. */
    public NodeProps checkConnection(Function<Map<String, Object>, List<PropError>> validator) {
        problems.addAll(connectionProblems(props, validator));
        return this;
    }

    public Map<String, Object> props() {
        return props;
    }

    public boolean has(String key) {
        Object value = props.get(key);
        return value != null && !"".equals(value);
    }

    /** A text prop; a problem when it is present but not a string. */
    public String string(String key, String fallback) {
        Object value = props.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            problem(key, key + " must be a string");
            return fallback;
        }
        return text;
    }

    /** A text prop that must be there and not empty: {@code missing <key> property} otherwise. */
    public String requiredString(String key) {
        if (!has(key)) {
            problem(key, "missing " + key + " property");
            return null;
        }
        return string(key, null);
    }

    /** A whole number within [min, max] (a number or its text); the fallback when absent. */
    public int integer(String key, int fallback, int min, int max) {
        Object value = props.get(key);
        if (value == null || "".equals(value)) {
            return fallback;
        }
        Long number = wholeNumber(value);
        if (number == null || number < min || number > max) {
            problem(key, key + " must be a whole number from " + min + " to " + max + ", not " + value);
            return fallback;
        }
        return number.intValue();
    }

    /** {@code true} or {@code false} (or their text, in any case); the fallback when absent. */
    public boolean bool(String key, boolean fallback) {
        Object value = props.get(key);
        if (value == null || "".equals(value)) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problem(key, key + " must be true or false, not " + value);
                return fallback;
        }
    }

    /** Records a problem of a prop (an empty key: of the props as a whole). */
    public void problem(String key, String message) {
        problems.add(new PropError(key, message));
    }

    /** Every problem recorded so far, in order. */
    public List<PropError> problems() {
        return List.copyOf(problems);
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? number.longValue() : null;
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
