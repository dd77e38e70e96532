package io.tether.rule.internal.sql;

import java.util.Map;

/** A compiled SQL expression, evaluated over one record (field name to value). */
public sealed interface Expression
        permits Literal, FieldReference, Negation, Arithmetic, Comparison, Logical, Not {

    /**
     * @throws EvaluationException when the record does not fit the expression
     */
    Object evaluate(Map<String, Object> record);
}
