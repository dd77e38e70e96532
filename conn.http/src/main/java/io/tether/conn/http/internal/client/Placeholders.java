package io.tether.conn.http.internal.client;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * eKuiper's common case of its header templates: {@code {{.field}}} (or {@code {{.a.b}}} into nested objects) is
 * replaced by that field's value. No other template language.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)\\s*}}");

    private Placeholders() {
    }

    /**
     * The text with each placeholder replaced by its field's value, or null when a field is missing (the header is
     * then left out rather than sent half-filled).
     */
    public static String render(String text, Function<String, Object> fields) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = fields.apply(m.group(1));
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Looks fields up in a record: {@code a.b} is field {@code b} of the object in field {@code a}. */
    public static Function<String, Object> in(Map<String, ?> record) {
        return path -> {
            Object value = record;
            for (String name : path.split("\\.")) {
                if (!(value instanceof Map<?, ?> map)) {
                    return null;
                }
                value = map.get(name);
            }
            return value;
        };
    }

    /** Looks fields up in the first source that has them. */
    @SafeVarargs
    public static Function<String, Object> firstOf(Function<String, Object>... sources) {
        return path -> {
            for (Function<String, Object> source : sources) {
                Object value = source.apply(path);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
    }
}
