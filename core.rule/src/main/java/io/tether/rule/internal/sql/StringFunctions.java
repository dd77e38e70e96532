package io.tether.rule.internal.sql;

import static io.tether.rule.internal.sql.BuiltinFunction.nullIfAnyNull;
import static io.tether.rule.internal.sql.BuiltinFunction.of;
import static io.tether.rule.internal.sql.BuiltinFunction.whenAnyNull;
import static io.tether.rule.internal.sql.Parameter.ANY;
import static io.tether.rule.internal.sql.Parameter.INDEX;
import static io.tether.rule.internal.sql.Parameter.INTEGER;
import static io.tether.rule.internal.sql.Parameter.STRING;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * eKuiper's string functions. Numbers and booleans are taken as their text. A null argument gives null, except where
 * eKuiper answers otherwise ({@code concat} skips it, {@code length} and {@code numbytes} give 0,
 * {@code indexof} -1, {@code startswith}, {@code endswith} and {@code regexp_matches} false). Positions count
 * characters from 0. Regular expressions are Java's, which agree with Go's for the common constructs.
 */
final class StringFunctions {
    static final int MAX_PADDING = 65_536;

    private StringFunctions() {
    }

    static List<BuiltinFunction> all() {
        return List.of(
                new BuiltinFunction("concat", 1, BuiltinFunction.UNLIMITED, List.of(STRING), StringFunctions::concat),
                text("lower", text -> text.toLowerCase(Locale.ROOT)),
                text("upper", text -> text.toUpperCase(Locale.ROOT)),
                text("trim", String::strip),
                text("ltrim", String::stripLeading),
                text("rtrim", String::stripTrailing),
                of("length", List.of(ANY), whenAnyNull(0L, StringFunctions::length)),
                of("numbytes", List.of(STRING), whenAnyNull(0L,
                        arguments -> (long) arguments.string(0).getBytes(StandardCharsets.UTF_8).length)),
                of("indexof", List.of(STRING, STRING), whenAnyNull(-1L,
                        arguments -> (long) arguments.string(0).indexOf(arguments.string(1)))),
                of("startswith", List.of(STRING, STRING), whenAnyNull(false,
                        arguments -> arguments.string(0).startsWith(arguments.string(1)))),
                of("endswith", List.of(STRING, STRING), whenAnyNull(false,
                        arguments -> arguments.string(0).endsWith(arguments.string(1)))),
                of("lpad", List.of(STRING, INTEGER), nullIfAnyNull(
                        arguments -> " ".repeat(count(arguments, 1)) + arguments.string(0))),
                of("rpad", List.of(STRING, INTEGER), nullIfAnyNull(
                        arguments -> arguments.string(0) + " ".repeat(count(arguments, 1)))),
                new BuiltinFunction("substring", 2, 3, List.of(STRING, INDEX, INDEX),
                        nullIfAnyNull(StringFunctions::substring)),
                of("split_value", List.of(STRING, STRING, INDEX), nullIfAnyNull(StringFunctions::splitValue)),
                of("regexp_matches", List.of(STRING, STRING), whenAnyNull(false,
                        arguments -> matcher(arguments).find())),
                of("regexp_replace", List.of(STRING, STRING, STRING), nullIfAnyNull(StringFunctions::regexpReplace)),
                of("regexp_substr", List.of(STRING, STRING), nullIfAnyNull(arguments -> {
                    Matcher matcher = matcher(arguments);
                    return matcher.find() ? matcher.group() : "";
                })));
    }

    private static BuiltinFunction text(String name, UnaryOperator<String> operation) {
        return of(name, List.of(STRING), nullIfAnyNull(arguments -> operation.apply(arguments.string(0))));
    }

    private static Object concat(Arguments arguments) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i) != null) {
                result.append(arguments.string(i));
            }
        }
        return result.toString();
    }

    /** Characters of a string (or of a value's text), elements of an array, fields of a struct, bytes of a bytea. */
    private static Object length(Arguments arguments) {
        Object value = arguments.get(0);
        if (value instanceof List<?> list) {
            return (long) list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return (long) map.size();
        }
        if (value instanceof byte[] bytes) {
            return (long) bytes.length;
        }
        String text = Objects.requireNonNullElse(Values.text(value), value.toString());
        return (long) text.codePointCount(0, text.length());
    }

    /** A padding count: bounded, so that one record cannot make a rule allocate without limit. */
    private static int count(Arguments arguments, int index) {
        long count = arguments.integer(index);
        if (count < 0) {
            throw arguments.mismatch(index);
        }
        if (count > MAX_PADDING) {
            throw arguments.error("pads with at most " + MAX_PADDING + " spaces, not " + count);
        }
        return (int) count;
    }

    /** {@code substring(text, start[, end])}: from start to end (excluded), both cut to the text's length. */
    private static Object substring(Arguments arguments) {
        String text = arguments.string(0);
        long start = arguments.integer(1);
        if (start < 0) {
            throw arguments.error("the start index must not be negative, not " + start);
        }
        long end = text.length();
        if (arguments.size() > 2) {
            end = arguments.integer(2);
            if (end < 0) {
                throw arguments.error("the end index must not be negative, not " + end);
            }
            if (start > end) {
                throw arguments.error("the start index " + start + " is after the end index " + end);
            }
        }
        return start >= text.length() ? "" : text.substring((int) start, (int) Math.min(end, text.length()));
    }

    /** {@code split_value(text, separator, index)}: the part at index; a negative index counts from the end. */
    private static Object splitValue(Arguments arguments) {
        String text = arguments.string(0);
        String separator = arguments.string(1);
        String[] parts = separator.isEmpty() ? text.codePoints().mapToObj(Character::toString).toArray(String[]::new)
                : text.split(Pattern.quote(separator), -1);
        long index = arguments.integer(2);
        long position = index < 0 ? parts.length + index : index;
        if (position < 0 || position >= parts.length) {
            throw arguments.error("index " + index + " is out of range: the value splits into " + parts.length
                    + " parts");
        }
        return parts[(int) position];
    }

    private static Object regexpReplace(Arguments arguments) {
        Matcher matcher = matcher(arguments);
        try {
            return matcher.replaceAll(arguments.string(2));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw arguments.error("invalid replacement \"" + arguments.string(2) + "\": " + e.getMessage());
        }
    }

    private static Matcher matcher(Arguments arguments) {
        try {
            return Pattern.compile(arguments.string(1)).matcher(arguments.string(0));
        } catch (PatternSyntaxException e) {
            throw arguments.error("invalid regular expression \"" + arguments.string(1) + "\": "
                    + e.getDescription());
        }
    }
}
