package io.tether.api.connection;

/**
 * A dial, ping or check that failed. A retryable failure (I/O: refused, timed out, unreachable) makes the pool try
 * again with backoff; a permanent one (bad credentials, props that cannot work) stops retrying until the connection
 * is updated.
 */
public class ConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public ConnectionException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure of I/O kind: the pool retries it with backoff. */
    public static ConnectionException io(String message, Throwable cause) {
        return new ConnectionException(message, true, cause);
    }

    /** A failure that retrying cannot mend. */
    public static ConnectionException permanent(String message, Throwable cause) {
        return new ConnectionException(message, false, cause);
    }

    public boolean isRetryable() {
        return retryable;
    }
}
