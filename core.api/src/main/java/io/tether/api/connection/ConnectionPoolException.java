package io.tether.api.connection;

import java.util.List;

/** Why the pool refused a call. The REST API maps the reason to a status code. */
public class ConnectionPoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Bad id, bad JSON, unknown type, invalid props. */
        INVALID,
        /** No connection with that id. */
        NOT_FOUND,
        /** The id exists, or the connection is anonymous or referenced. */
        CONFLICT,
        /** A connectivity check could not connect. */
        UNREACHABLE,
        /** The type cannot do what was asked (for example a connectivity check). */
        UNSUPPORTED,
        /** The connection has no live instance now (its type is not installed, or the handle was detached). */
        UNAVAILABLE,
        /** The pool could not do its part (for example, the store could not be written); nothing was changed. */
        INTERNAL
    }

    private final Reason reason;
    private final List<PropError> propErrors;

    public ConnectionPoolException(Reason reason, String message) {
        this(reason, message, List.of(), null);
    }

    public ConnectionPoolException(Reason reason, String message, List<PropError> propErrors, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.propErrors = List.copyOf(propErrors);
    }

    public Reason reason() {
        return reason;
    }

    /** The per-prop problems when props were invalid; empty otherwise. */
    public List<PropError> propErrors() {
        return propErrors;
    }
}
