package io.tether.rule.internal.sql;

import java.util.List;

/**
 * A function rules can call: how many arguments it takes, what each takes, and what it makes of their values.
 *
 * @param maxArguments {@link #UNLIMITED} when any number is taken
 * @param parameters   what each argument takes; the last one also stands for any further arguments
 */
record BuiltinFunction(String name, int minArguments, int maxArguments, List<Parameter> parameters, Body body) {
    static final int UNLIMITED = Integer.MAX_VALUE;

    @FunctionalInterface
    interface Body {
        /**
         * @throws EvaluationException when the values do not fit the function
         */
        Object apply(Arguments arguments);
    }

    BuiltinFunction {
        parameters = List.copyOf(parameters);
    }

    /** A function taking exactly one argument per parameter. */
    static BuiltinFunction of(String name, List<Parameter> parameters, Body body) {
        return new BuiltinFunction(name, parameters.size(), parameters.size(), parameters, body);
    }

    /** eKuiper's usual handling of null: a null argument makes the result {@code result}. */
    static Body whenAnyNull(Object result, Body body) {
        return arguments -> arguments.values().contains(null) ? result : body.apply(arguments);
    }

    static Body nullIfAnyNull(Body body) {
        return whenAnyNull(null, body);
    }

    Parameter parameter(int index) {
        return parameters.get(Math.min(index, parameters.size() - 1));
    }

    /**
     * Checks the number of arguments, and literal arguments against what their parameters take.
     *
     * @param calledName the name as the statement writes it
     * @throws SqlException when the arguments do not fit
     */
    void check(String calledName, List<Expression> arguments) {
        int count = arguments.size();
        if (count < minArguments || count > maxArguments) {
            throw new SqlException("function " + calledName + " expects " + arity() + ", not " + count);
        }
        for (int i = 0; i < count; i++) {
            parameter(i).checkLiteral(calledName, i, arguments.get(i));
        }
    }

    private String arity() {
        if (maxArguments == UNLIMITED) {
            return "at least " + arguments(minArguments);
        }
        if (maxArguments == minArguments) {
            return minArguments == 0 ? "no arguments" : arguments(minArguments);
        }
        return minArguments + (maxArguments == minArguments + 1 ? " or " : " to ") + arguments(maxArguments);
    }

    private static String arguments(int count) {
        return count + (count == 1 ? " argument" : " arguments");
    }
}
