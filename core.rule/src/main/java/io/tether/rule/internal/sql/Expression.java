package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A compiled SQL expression, evaluated over one record (field name to value). */
public sealed interface Expression
        permits Literal, FieldReference, Negation, Arithmetic, Comparison, Logical, Not, FunctionCall {

    /**
     * @throws EvaluationException when the record does not fit the expression
     */
    Object evaluate(Map<String, Object> record);

    /** The expressions this one is made of. */
    default List<Expression> operands() {
        return List.of();
    }

    /** The fields the expression reads. */
    default Stream<FieldReference> fieldReferences() {
        return operands().stream().flatMap(Expression::fieldReferences);
    }
}
