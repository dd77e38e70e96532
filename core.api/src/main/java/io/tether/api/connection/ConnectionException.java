package io.tether.api.connection;

/**
 * A dial, ping or check that failed. A retryable failure (I/O: refused, timed out, unreachable) makes the pool try
 * again with backoff; a permanent one (bad credentials, props that cannot work) stops retrying until the connection
 * is updated.
 */
public class ConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final boolean missingResource;

    public ConnectionException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, false, cause);
    }

    private ConnectionException(String message, boolean retryable, boolean missingResource, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.missingResource = missingResource;
    }

    /** A failure of I/O kind: the pool retries it with backoff. */
    public static ConnectionException io(String message, Throwable cause) {
        return new ConnectionException(message, true, cause);
    }

    /** A failure that retrying cannot mend. */
    public static ConnectionException permanent(String message, Throwable cause) {
        return new ConnectionException(message, false, cause);
    }

    /**
     * Something the connection needs is not there (a driver bundle, a file): the pool retries with backoff, and the
     * connection reports {@code disconnected}, not {@code connecting}, while it waits. A connection that can tell
     * when the resource appears calls {@link StatusSink#connected()} after opening itself.
     */
    public static ConnectionException missingResource(String message) {
        return new ConnectionException(message, true, true, null);
    }

    public boolean isRetryable() {
        return retryable;
    }

    public boolean isMissingResource() {
        return missingResource;
    }
}
