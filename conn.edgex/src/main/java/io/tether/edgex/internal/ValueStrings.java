package io.tether.edgex.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.StringJoiner;

/**
 * Values as EdgeX writes the {@code value} of a simple reading (core-contracts' {@code convertInterfaceValue}):
 * booleans, integers and strings as Go's {@code %v}, floats as {@code FormatFloat(v, 'e', -1, bits)}, arrays as
 * {@code %v} with {@code ", "} between elements ({@code [1, 2]}, {@code [1.5e+00, 2e+00]}, {@code [a, b]}).
 */
final class ValueStrings {
    private ValueStrings() {
    }

    /**
     * @throws IllegalArgumentException when the value is not of the type (or out of its range)
     */
    static String format(String valueType, Object value) {
        if (valueType.endsWith("Array")) {
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException("not an array for " + valueType + ": " + value);
            }
            String element = valueType.substring(0, valueType.length() - "Array".length());
            StringJoiner text = new StringJoiner(", ", "[", "]");
            for (Object item : list) {
                text.add(format(element, item));
            }
            return text.toString();
        }
        switch (valueType) {
            case "Bool":
                if (value instanceof Boolean b) {
                    return b.toString();
                }
                if (value instanceof String s) {
                    return Boolean.toString(GoFormats.parseBool(s));
                }
                break;
            case "String":
                return String.valueOf(value);
            case "Int8":
                return integer(value, Byte.MIN_VALUE, Byte.MAX_VALUE, valueType);
            case "Int16":
                return integer(value, Short.MIN_VALUE, Short.MAX_VALUE, valueType);
            case "Int32":
                return integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, valueType);
            case "Int64":
                return integer(value, Long.MIN_VALUE, Long.MAX_VALUE, valueType);
            case "Uint8":
                return integer(value, 0, 0xFF, valueType);
            case "Uint16":
                return integer(value, 0, 0xFFFF, valueType);
            case "Uint32":
                return integer(value, 0, 0xFFFF_FFFFL, valueType);
            case "Uint64":
                BigInteger unsigned = whole(value);
                if (unsigned != null && unsigned.signum() >= 0 && unsigned.bitLength() <= 64) {
                    return unsigned.toString();
                }
                break;
            case "Float32":
                if (value instanceof Number number) {
                    return GoFormats.float32(number.floatValue());
                }
                break;
            case "Float64":
                if (value instanceof Number number) {
                    return GoFormats.float64(number.doubleValue());
                }
                break;
            default:
                return String.valueOf(value);
        }
        throw new IllegalArgumentException("not a " + valueType + ": " + value);
    }

    private static String integer(Object value, long min, long max, String valueType) {
        BigInteger whole = whole(value);
        if (whole == null || whole.bitLength() > 63 || whole.longValue() < min || whole.longValue() > max) {
            throw new IllegalArgumentException("not a " + valueType + ": " + value);
        }
        return whole.toString();
    }

    private static BigInteger whole(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
