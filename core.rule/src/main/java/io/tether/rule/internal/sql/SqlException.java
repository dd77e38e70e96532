package io.tether.rule.internal.sql;

/** A statement that cannot be parsed, or that uses what the rule layer does not support; the message says which. */
public final class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SqlException(String message) {
        super(message);
    }
}
