package io.tether.rule.internal.sql;

import static io.tether.rule.internal.sql.BuiltinFunction.nullIfAnyNull;
import static io.tether.rule.internal.sql.BuiltinFunction.of;
import static io.tether.rule.internal.sql.Parameter.ANY;
import static io.tether.rule.internal.sql.Parameter.ANY_OR_MISSING;
import static io.tether.rule.internal.sql.Parameter.TYPE_NAME;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The functions rules can call, by name (case-insensitive, as in eKuiper): eKuiper's stateless scalar functions of
 * the mathematical, string and conversion families, and {@code isnull}, {@code coalesce}, {@code newuuid},
 * {@code tstamp}. Aggregate, window, analytic and stateful functions need more than one record at a time and are not
 * among them.
 */
final class Functions {
    private static final Map<String, BuiltinFunction> BUILTINS = Stream.of(MathFunctions.all(),
                    StringFunctions.all(), others())
            .flatMap(List::stream)
            .collect(Collectors.toUnmodifiableMap(BuiltinFunction::name, Function.identity()));

    private Functions() {
    }

    /**
     * @param name as the statement writes it
     * @throws SqlException when there is no such function
     */
    static BuiltinFunction named(String name) {
        BuiltinFunction function = BUILTINS.get(name.toLowerCase(Locale.ROOT));
        if (function == null) {
            throw new SqlException("function " + name + " is not supported");
        }
        return function;
    }

    private static List<BuiltinFunction> others() {
        return List.of(
                of("cast", List.of(ANY, TYPE_NAME), nullIfAnyNull(Functions::cast)),
                of("isnull", List.of(ANY_OR_MISSING), arguments -> arguments.get(0) == null),
                new BuiltinFunction("coalesce", 1, BuiltinFunction.UNLIMITED, List.of(ANY_OR_MISSING),
                        arguments -> arguments.values().stream().filter(Objects::nonNull).findFirst().orElse(null)),
                of("newuuid", List.of(), arguments -> UUID.randomUUID().toString()),
                of("tstamp", List.of(), arguments -> System.currentTimeMillis()));
    }

    /**
     * {@code cast(value, "bigint" | "float" | "string" | "boolean" | "datetime")}, converting as eKuiper does: a float
     * to bigint drops its fraction, a string parses, a boolean is 1 or 0, a number is true when not zero, a number
     * is a datetime in milliseconds since the epoch and a string one in ISO 8601 with an offset.
     */
    private static Object cast(Arguments arguments) {
        Object value = arguments.get(0);
        String type = ((String) arguments.get(1)).toLowerCase(Locale.ROOT);
        Object result = switch (type) {
            case "bigint" -> toBigint(value);
            case "float" -> toFloat(value);
            case "string" -> toText(value);
            case "boolean" -> Values.toBoolean(value);
            case "datetime" -> toDatetime(value);
            default -> throw new IllegalStateException("cast to " + type);
        };
        if (result == null) {
            throw arguments.error("cannot cast " + Values.describe(value) + " to " + type);
        }
        return result;
    }

    private static Long toBigint(Object value) {
        if (value instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? big.longValue() : null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1L : 0L;
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException notAnInteger) {
                return null;
            }
        }
        return null;
    }

    private static Double toFloat(Object value) {
        if (value instanceof Number number) {
            return Values.asDouble(number);
        }
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static String toText(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Temporal) {
            return value.toString();
        }
        return Values.text(value);
    }

    private static Temporal toDatetime(Object value) {
        if (value instanceof Temporal temporal) {
            return temporal;
        }
        if (value instanceof Number number) {
            return Instant.ofEpochMilli(number.longValue());
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
        return null;
    }
}
