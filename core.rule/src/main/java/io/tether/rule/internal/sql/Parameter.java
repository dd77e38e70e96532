package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an argument of a built-in function takes. As in eKuiper, literal arguments are checked when the rule is
 * created; the values of other arguments are checked as the rule runs (see {@link Arguments}).
 */
enum Parameter {
    ANY,
    /** Any value; a field the record lacks is null rather than an error. */
    ANY_OR_MISSING,
    NUMBER,
    INTEGER,
    /** A position: an integer, and not a negative literal. */
    INDEX,
    STRING,
    /** The target type of {@code cast}: a string literal naming one of {@link #TYPE_NAMES}. */
    TYPE_NAME;

    static final List<String> TYPE_NAMES = List.of("bigint", "float", "string", "boolean", "datetime");

    /** What the parameter takes, for messages. */
    String expected() {
        return switch (this) {
            case ANY, ANY_OR_MISSING -> "a value";
            case NUMBER -> "a number";
            case INTEGER -> "an integer";
            case INDEX -> "a non-negative integer";
            case STRING -> "a string";
            case TYPE_NAME -> "one of \"" + String.join("\", \"", TYPE_NAMES) + "\"";
        };
    }

    /**
     * @throws SqlException when the argument is a literal, or a condition, that this parameter does not take
     */
    void checkLiteral(String function, int index, Expression argument) {
        if (this == TYPE_NAME) {
            if (!(argument instanceof Literal literal && literal.value() instanceof String name
                    && TYPE_NAMES.contains(name.toLowerCase(Locale.ROOT)))) {
                throw new SqlException("function " + function + " expects " + expected() + " as argument "
                        + (index + 1));
            }
            return;
        }
        if (argument instanceof Comparison || argument instanceof Logical || argument instanceof Not) {
            if (!takes(true)) {
                throw mismatch(function, index, "boolean");
            }
            return;
        }
        Object value = constant(argument);
        if (value != null && !takes(value)) {
            throw mismatch(function, index, Values.describe(value));
        }
    }

    private SqlException mismatch(String function, int index, String actual) {
        return new SqlException("function " + function + " expects " + expected() + " as argument " + (index + 1)
                + ", not " + actual);
    }

    private boolean takes(Object literal) {
        return switch (this) {
            case ANY, ANY_OR_MISSING, TYPE_NAME -> true;
            case NUMBER -> Values.isNumber(literal);
            case INTEGER -> Values.isIntegral(literal);
            case INDEX -> Values.isIntegral(literal) && Values.asLong(literal) >= 0;
            case STRING -> literal instanceof String;
        };
    }

    /** The value of a literal, or of a negated number literal ({@code -1}); null for other expressions. */
    private static Object constant(Expression expression) {
        if (expression instanceof Literal literal) {
            return literal.value();
        }
        if (expression instanceof Negation negation && negation.operand() instanceof Literal literal
                && Values.isNumber(literal.value())) {
            return negation.evaluate(Map.of());
        }
        return null;
    }
}
