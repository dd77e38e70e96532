package io.tether.rule.internal.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;

/**
 * The value types expressions work on: Long and Double for numbers, String, Boolean, maps, lists, byte arrays,
 * {@code java.time} values for datetimes, null.
 */
final class Values {

    private Values() {
    }

    static boolean isIntegral(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    static boolean isNumber(Object value) {
        return value instanceof Number;
    }

    static long asLong(Object value) {
        return ((Number) value).longValue();
    }

    static double asDouble(Object value) {
        return value instanceof BigDecimal decimal ? decimal.doubleValue() : ((Number) value).doubleValue();
    }

    static boolean asBoolean(Object value, String operator) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new EvaluationException(operator + " needs boolean operands, not " + typeName(value));
    }

    /**
     * A boolean, a number (true when not zero) or a string Go's {@code strconv.ParseBool} takes as a boolean, as
     * eKuiper converts them; null for other values.
     */
    static Boolean toBoolean(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number number) {
            return asDouble(number) != 0;
        }
        if (value instanceof String string) {
            return switch (string) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                case "0", "f", "F", "FALSE", "false", "False" -> false;
                default -> null;
            };
        }
        return null;
    }

    /** The type of a value as a user reads it in an error message. */
    static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (isIntegral(value)) {
            return "bigint";
        }
        if (isNumber(value)) {
            return "float";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Map) {
            return "struct";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof byte[]) {
            return "bytea";
        }
        if (value instanceof Temporal) {
            return "datetime";
        }
        return value.getClass().getSimpleName();
    }

    /** A value for an error message: its type, and itself when it is short. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            return "bytea of " + bytes.length + " bytes";
        }
        String text = value instanceof String string ? "\"" + string + "\"" : String.valueOf(value);
        return typeName(value) + " " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }

    /** Numbers, strings and booleans as text, as eKuiper's string functions take them; null for other values. */
    static String text(Object value) {
        if (value instanceof String string) {
            return string;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isFinite(number) ? BigDecimal.valueOf(number).stripTrailingZeros().toPlainString()
                    : String.valueOf(number);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return null;
    }
}
