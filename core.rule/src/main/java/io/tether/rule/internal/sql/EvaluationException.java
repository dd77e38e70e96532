package io.tether.rule.internal.sql;

/** An expression that cannot be evaluated over one record: a missing field, mismatched types, a division by zero. */
public final class EvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvaluationException(String message) {
        super(message);
    }
}
