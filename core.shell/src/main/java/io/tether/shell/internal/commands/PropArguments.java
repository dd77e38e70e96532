package io.tether.shell.internal.commands;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Props written as {@code key=value} words on a command line (README, "Gogo commands"). A value that reads as JSON
 * (a number, {@code true}, {@code false}, {@code null}, a quoted string, an object or an array) is that JSON value;
 * any other value is a string. A dotted key names a nested prop: {@code optional.ClientId=c1} is
 * {@code {"optional": {"ClientId": "c1"}}}.
 */
public final class PropArguments {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private PropArguments() {
    }

    /** The props the words give, in their order; a user's mistake is an {@link IllegalArgumentException}. */
    public static Map<String, Object> parse(List<String> words) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + word + "'");
            }
            put(props, word.substring(0, equals), value(word.substring(equals + 1)));
        }
        return props;
    }

    /**
     * {@code patch} applied to {@code target} as a JSON merge patch (RFC 7396): objects merge key by key, a
     * {@code null} removes the key, anything else replaces it.
     */
    public static Map<String, Object> mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> merged = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> inner && merged.get(key) instanceof Map<?, ?> current) {
                merged.put(key, mergePatch(stringKeys(current), stringKeys(inner)));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void put(Map<String, Object> props, String key, Object value) {
        String[] path = key.split("\\.", -1);
        Map<String, Object> into = props;
        for (int i = 0; i < path.length - 1; i++) {
            String name = requireName(path[i], key);
            Object existing = into.get(name);
            if (existing == null && !into.containsKey(name)) {
                Map<String, Object> created = new LinkedHashMap<>();
                into.put(name, created);
                into = created;
            } else if (existing instanceof Map<?, ?> map) {
                Map<String, Object> copy = stringKeys(map);
                into.put(name, copy);
                into = copy;
            } else {
                throw new IllegalArgumentException("prop " + String.join(".", List.of(path).subList(0, i + 1))
                        + " is given a value and also nested props (" + key + ")");
            }
        }
        String last = requireName(path[path.length - 1], key);
        if (into.containsKey(last)) {
            throw new IllegalArgumentException("prop " + key + " is given twice");
        }
        into.put(last, value);
    }

    private static String requireName(String segment, String key) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' is not a prop name");
        }
        return segment;
    }

    /** The JSON value the text holds, or the text itself when it is not JSON as a whole. */
    static Object value(String text) {
        if (text.isEmpty()) {
            return text;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            Object value = JSON.readValue(parser, Object.class);
            if (parser.nextToken() != null) {
                return text;
            }
            return value;
        } catch (IOException notJson) {
            return text;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        return new LinkedHashMap<>((Map<String, Object>) map);
    }
}
