package io.tether.api.io;

/**
 * Why a sink could not deliver an emission, and whether sending it again may succeed. A retryable failure (the
 * connection is down, a timeout, a server error) is kept by the rule's sink cache, when it is on, and resent when the
 * connection is back; a permanent one (the peer refused this record: a 4xx, a constraint violation) is counted and
 * never resent.
 * <p>
 * The rule layer classifies other exceptions too: an {@link java.io.IOException}, a
 * {@link java.util.concurrent.TimeoutException} or a retryable {@link io.tether.api.connection.ConnectionException}
 * is retryable; anything else is permanent.
 *
 * @since 1.2
 */
public class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Sending again, once the connection is back, may succeed. */
    public static DeliveryException retryable(String message, Throwable cause) {
        return new DeliveryException(message, true, cause);
    }

    /** The peer refused the emission itself: sending it again cannot succeed. */
    public static DeliveryException permanent(String message, Throwable cause) {
        return new DeliveryException(message, false, cause);
    }

    public boolean isRetryable() {
        return retryable;
    }
}
