package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;

/** {@code + - * / %}: integral when both operands are, else floating point; null when either operand is null. */
public record Arithmetic(String operator, Expression left, Expression right) implements Expression {

    @Override
    public List<Expression> operands() {
        return List.of(left, right);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        Object a = left.evaluate(record);
        Object b = right.evaluate(record);
        if (a == null || b == null) {
            return null;
        }
        if (!Values.isNumber(a) || !Values.isNumber(b)) {
            throw new EvaluationException("invalid operation " + Values.typeName(a) + " " + operator + " "
                    + Values.typeName(b));
        }
        if (Values.isIntegral(a) && Values.isIntegral(b)) {
            return integral(Values.asLong(a), Values.asLong(b));
        }
        return floating(Values.asDouble(a), Values.asDouble(b));
    }

    private long integral(long a, long b) {
        return switch (operator) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / nonZero(b);
            case "%" -> a % nonZero(b);
            default -> throw new IllegalStateException("operator " + operator);
        };
    }

    private double floating(double a, double b) {
        return switch (operator) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / nonZero(b);
            case "%" -> a % nonZero(b);
            default -> throw new IllegalStateException("operator " + operator);
        };
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) {
            throw new EvaluationException("divided by zero");
        }
        return divisor;
    }

    private static double nonZero(double divisor) {
        if (divisor == 0) {
            throw new EvaluationException("divided by zero");
        }
        return divisor;
    }
}
