package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;

public record Negation(Expression operand) implements Expression {

    @Override
    public List<Expression> operands() {
        return List.of(operand);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        Object value = operand.evaluate(record);
        if (value == null) {
            return null;
        }
        if (Values.isIntegral(value)) {
            return -Values.asLong(value);
        }
        if (Values.isNumber(value)) {
            return -Values.asDouble(value);
        }
        throw new EvaluationException("cannot negate a " + Values.typeName(value));
    }
}
