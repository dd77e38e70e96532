package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;

public record Not(Expression operand) implements Expression {

    @Override
    public List<Expression> operands() {
        return List.of(operand);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        return !Values.asBoolean(operand.evaluate(record), "NOT");
    }
}
