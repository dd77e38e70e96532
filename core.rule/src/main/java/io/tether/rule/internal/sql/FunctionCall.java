package io.tether.rule.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A call of a built-in function: the arguments are evaluated, then the function applied to their values. */
public record FunctionCall(BuiltinFunction function, List<Expression> arguments) implements Expression {

    public FunctionCall {
        arguments = List.copyOf(arguments);
    }

    /** The name a projection of the call gets, as eKuiper names it: the function's. */
    public String name() {
        return function.name();
    }

    @Override
    public List<Expression> operands() {
        return arguments;
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        List<Object> values = new ArrayList<>(arguments.size());
        for (int i = 0; i < arguments.size(); i++) {
            Expression argument = arguments.get(i);
            if (function.parameter(i) == Parameter.ANY_OR_MISSING && argument instanceof FieldReference field) {
                Object value = field.resolve(record);
                values.add(value == FieldReference.MISSING ? null : value);
            } else {
                values.add(argument.evaluate(record));
            }
        }
        return function.body().apply(new Arguments(function, values));
    }
}
