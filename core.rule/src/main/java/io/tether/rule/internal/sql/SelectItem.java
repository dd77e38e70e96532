package io.tether.rule.internal.sql;

/** One item of a SELECT list: {@code *}, or an expression with the name its result gets. */
public sealed interface SelectItem {

    record AllFields() implements SelectItem {
    }

    record Projection(Expression expression, String name) implements SelectItem {
    }
}
