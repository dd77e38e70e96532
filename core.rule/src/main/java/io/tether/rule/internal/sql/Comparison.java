package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code = != < <= > >=}. Numbers compare by value whatever their type; a comparison with null is false; ordering
 * values of different types is an error.
 */
public record Comparison(String operator, Expression left, Expression right) implements Expression {

    @Override
    public List<Expression> operands() {
        return List.of(left, right);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        Object a = left.evaluate(record);
        Object b = right.evaluate(record);
        if (a == null || b == null) {
            return false;
        }
        if (Values.isNumber(a) && Values.isNumber(b)) {
            return test(Values.isIntegral(a) && Values.isIntegral(b)
                    ? Long.compare(Values.asLong(a), Values.asLong(b))
                    : Double.compare(Values.asDouble(a), Values.asDouble(b)));
        }
        if (a instanceof String s && b instanceof String t) {
            return test(s.compareTo(t));
        }
        if (a instanceof Boolean && b instanceof Boolean && isEquality()) {
            return operator.equals("=") == a.equals(b);
        }
        if (isEquality() && Values.typeName(a).equals(Values.typeName(b))) {
            return operator.equals("=") == Objects.equals(a, b);
        }
        throw new EvaluationException("invalid comparison " + Values.typeName(a) + " " + operator + " "
                + Values.typeName(b));
    }

    private boolean isEquality() {
        return operator.equals("=") || operator.equals("!=");
    }

    private boolean test(int order) {
        return switch (operator) {
            case "=" -> order == 0;
            case "!=" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> throw new IllegalStateException("operator " + operator);
        };
    }
}
