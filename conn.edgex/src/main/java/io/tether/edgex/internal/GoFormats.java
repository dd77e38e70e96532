package io.tether.edgex.internal;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Numbers and booleans written and read as EdgeX's Go code does: floats as {@code strconv.FormatFloat(v, 'e', -1,
 * bits)} (the shortest form that reads back to the same value, e.g. {@code 1.5e+00}, {@code -2e-07}), booleans as
 * {@code strconv.ParseBool} reads them.
 */
final class GoFormats {
    private GoFormats() {
    }

    static String float64(double value) {
        return special(value) != null ? special(value) : scientific(new BigDecimal(Double.toString(value)));
    }

    static String float32(float value) {
        return special(value) != null ? special(value) : scientific(new BigDecimal(Float.toString(value)));
    }

    private static String special(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == 0 ? (1 / value < 0 ? "-0e+00" : "0e+00") : null;
    }

    private static String scientific(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - stripped.scale();
        StringBuilder text = new StringBuilder(stripped.signum() < 0 ? "-" : "");
        text.append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }

    /** As Go's ParseFloat: decimal and {@code e} notation, {@code Inf}, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    static double parseFloat(String text) {
        String value = text.strip();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                if (!value.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new NumberFormatException("invalid syntax: " + text);
                }
                double parsed = Double.parseDouble(value);
                if (Double.isInfinite(parsed)) {
                    throw new NumberFormatException("value out of range: " + text);
                }
                return parsed;
        }
    }

    /**
     * As Go's ParseFloat(text, 32), which eKuiper reads a Float32 reading with: the value rounded to the nearest float
     * ({@code 1.1e+00} reads as 1.100000023841858), widened to a double.
     */
    static double parseFloat32(String text) {
        double wide = parseFloat(text);
        if (!Double.isFinite(wide)) {
            return wide;
        }
        float narrow = Float.parseFloat(text.strip());
        if (Float.isInfinite(narrow)) {
            throw new NumberFormatException("value out of range for a Float32: " + text);
        }
        return narrow;
    }

    /** As Go's ParseBool. */
    static boolean parseBool(String text) {
        switch (text) {
            case "1", "t", "T", "true", "TRUE", "True":
                return true;
            case "0", "f", "F", "false", "FALSE", "False":
                return false;
            default:
                throw new IllegalArgumentException("invalid syntax for a Bool: " + text);
        }
    }
}
