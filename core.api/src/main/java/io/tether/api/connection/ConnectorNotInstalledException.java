package io.tether.api.connection;

/**
 * The pool refused a call because no {@link ConnectorFactory} of the connection type is installed (reason
 * {@link Reason#INVALID}, as for any unknown type). A consumer that may wait for the type (a rule whose connector
 * bundle has not started yet) repeats the call once a factory service with that {@link ConnectorFactory#TYPE_PROPERTY}
 * appears.
 *
 * @since 1.3
 */
public class ConnectorNotInstalledException extends ConnectionPoolException {
    private static final long serialVersionUID = 1L;

    private final String type;

    public ConnectorNotInstalledException(String type, String message) {
        super(Reason.INVALID, message);
        this.type = type;
    }

    /** The connection type that is missing, in lower case as the pool names types. */
    public String type() {
        return type;
    }
}
