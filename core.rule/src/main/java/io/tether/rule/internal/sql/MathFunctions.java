package io.tether.rule.internal.sql;

import static io.tether.rule.internal.sql.BuiltinFunction.nullIfAnyNull;
import static io.tether.rule.internal.sql.BuiltinFunction.of;
import static io.tether.rule.internal.sql.Parameter.NUMBER;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * eKuiper's mathematical functions. A null argument gives null; results are floats but for {@code abs} of an
 * integer and {@code sign}; a result that is not a number (the square root of a negative) is null, as in eKuiper.
 */
final class MathFunctions {

    private MathFunctions() {
    }

    static List<BuiltinFunction> all() {
        return List.of(
                of("abs", List.of(NUMBER), nullIfAnyNull(MathFunctions::abs)),
                unary("ceil", Math::ceil),
                unary("ceiling", Math::ceil),
                unary("floor", Math::floor),
                unary("exp", Math::exp),
                unary("ln", Math::log),
                unary("sqrt", Math::sqrt),
                binary("power", Math::pow),
                binary("pow", Math::pow),
                binary("mod", (dividend, divisor) -> dividend % divisor),
                new BuiltinFunction("log", 1, 2, List.of(NUMBER), nullIfAnyNull(MathFunctions::log)),
                new BuiltinFunction("round", 1, 2, List.of(NUMBER), nullIfAnyNull(MathFunctions::round)),
                of("sign", List.of(NUMBER), nullIfAnyNull(arguments -> (long) Math.signum(arguments.number(0)))));
    }

    private static BuiltinFunction unary(String name, DoubleUnaryOperator operation) {
        return of(name, List.of(NUMBER), nullIfAnyNull(
                arguments -> real(arguments, operation.applyAsDouble(arguments.number(0)))));
    }

    private static BuiltinFunction binary(String name, DoubleBinaryOperator operation) {
        return of(name, List.of(NUMBER, NUMBER), nullIfAnyNull(
                arguments -> real(arguments, operation.applyAsDouble(arguments.number(0), arguments.number(1)))));
    }

    private static Object abs(Arguments arguments) {
        if (arguments.isIntegral(0)) {
            return Math.abs(arguments.integer(0));
        }
        return Math.abs(arguments.number(0));
    }

    /** {@code log(x)}: base 10; {@code log(b, x)}: base b. */
    private static Object log(Arguments arguments) {
        if (arguments.size() == 1) {
            return real(arguments, Math.log10(arguments.number(0)));
        }
        return real(arguments, Math.log(arguments.number(1)) / Math.log(arguments.number(0)));
    }

    /** {@code round(x[, decimals])}: halves away from zero; negative decimals round left of the point. */
    private static Object round(Arguments arguments) {
        double value = arguments.number(0);
        int decimals = arguments.size() > 1 ? (int) arguments.number(1) : 0;
        BigDecimal decimal = BigDecimal.valueOf(value);
        if (decimals >= decimal.scale()) {
            return value;
        }
        // left of the value's first digit, so that setScale never builds a huge power of ten
        if (decimals < decimal.scale() - decimal.precision()) {
            return 0.0;
        }
        return decimal.setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /** NaN becomes null, as eKuiper has it; an infinite result cannot be sent on, so it is an error. */
    private static Double real(Arguments arguments, double result) {
        if (Double.isNaN(result)) {
            return null;
        }
        if (Double.isInfinite(result)) {
            throw arguments.error("the result is out of range");
        }
        return result;
    }
}
