package io.tether.conn.sql.internal;

import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;

/** Reads typed values out of props as JSON or YAML gave them (numbers may come as text), collecting problems. */
public final class Props {
    private final Map<String, Object> values;
    private final List<PropError> problems;
    private final String prefix;

    public Props(Map<String, Object> values, List<PropError> problems) {
        this(values, problems, "");
    }

    private Props(Map<String, Object> values, List<PropError> problems, String prefix) {
        this.values = values;
        this.problems = problems;
        this.prefix = prefix;
    }

    /** The props of a nested object ({@code {}} when absent), whose problems name it: {@code key.prop}. */
    public Props nested(String key) {
        Map<String, Object> object = object(key);
        return new Props(object == null ? Map.of() : object, problems, prefix + key + ".");
    }

    public boolean has(String key) {
        Object value = values.get(key);
        return value != null && !"".equals(value);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public String text(String key) {
        Object value = values.get(key);
        return value == null ? null : String.valueOf(value).strip();
    }

    /** A whole number within [min, max], or {@code fallback} when the prop is absent; a problem when it is wrong. */
    public long number(String key, long fallback, long min, long max) {
        Object value = values.get(key);
        if (value == null || "".equals(value)) {
            return fallback;
        }
        long number;
        try {
            number = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue()
                    : Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number, not '" + value + "'");
            return fallback;
        }
        if (number < min || number > max) {
            problem(key, "must be between " + min + " and " + max + ", not " + number);
            return fallback;
        }
        return number;
    }

    /** A nested object, or {@code null} when absent; a problem when it is not an object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        problem(key, "must be an object");
        return null;
    }

    public void problem(String key, String message) {
        problems.add(new PropError(prefix + key, message));
    }
}
