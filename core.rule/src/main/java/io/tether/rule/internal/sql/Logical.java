package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;

/** {@code AND} / {@code OR}, short-circuit. */
public record Logical(boolean and, Expression left, Expression right) implements Expression {

    @Override
    public List<Expression> operands() {
        return List.of(left, right);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        String operator = and ? "AND" : "OR";
        boolean first = Values.asBoolean(left.evaluate(record), operator);
        if (first != and) {
            return first;
        }
        return Values.asBoolean(right.evaluate(record), operator);
    }
}
