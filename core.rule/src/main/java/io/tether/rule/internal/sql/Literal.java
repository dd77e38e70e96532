package io.tether.rule.internal.sql;

import java.util.Map;

public record Literal(Object value) implements Expression {

    @Override
    public Object evaluate(Map<String, Object> record) {
        return value;
    }
}
