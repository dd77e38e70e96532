package io.tether.rule.internal.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** The value types expressions work on: Long and Double for numbers, String, Boolean, maps, lists, null. */
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
        return value.getClass().getSimpleName();
    }
}
