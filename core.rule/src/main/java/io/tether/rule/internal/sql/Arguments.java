package io.tether.rule.internal.sql;

import java.util.Collections;
import java.util.List;

/** The argument values of one call, read as what the function's parameters take. */
final class Arguments {
    private final BuiltinFunction function;
    private final List<Object> values;

    /** @param values may hold nulls */
    Arguments(BuiltinFunction function, List<Object> values) {
        this.function = function;
        this.values = Collections.unmodifiableList(values);
    }

    List<Object> values() {
        return values;
    }

    int size() {
        return values.size();
    }

    Object get(int index) {
        return values.get(index);
    }

    boolean isIntegral(int index) {
        return Values.isIntegral(values.get(index));
    }

    /**
     * @throws EvaluationException when the value is not a number
     */
    double number(int index) {
        Object value = values.get(index);
        if (!Values.isNumber(value)) {
            throw mismatch(index);
        }
        return Values.asDouble(value);
    }

    /**
     * An integer, or a float without a fraction (eKuiper's strict conversion to int).
     *
     * @throws EvaluationException when the value is neither
     */
    long integer(int index) {
        Object value = values.get(index);
        if (Values.isIntegral(value)) {
            return Values.asLong(value);
        }
        if (Values.isNumber(value) && Values.asDouble(value) == Math.rint(Values.asDouble(value))) {
            return (long) Values.asDouble(value);
        }
        throw mismatch(index);
    }

    /**
     * A string, or a number or boolean as text (as eKuiper's string functions take them).
     *
     * @throws EvaluationException when the value is a struct, an array, bytes or null
     */
    String string(int index) {
        String text = Values.text(values.get(index));
        if (text == null) {
            throw mismatch(index);
        }
        return text;
    }

    /** The value does not fit the argument's parameter. */
    EvaluationException mismatch(int index) {
        return new EvaluationException("function " + function.name() + " expects "
                + function.parameter(index).expected() + " as argument " + (index + 1) + ", not "
                + Values.describe(values.get(index)));
    }

    /** Another failure of the function. */
    EvaluationException error(String message) {
        return new EvaluationException("function " + function.name() + ": " + message);
    }
}
