package io.tether.lib.mqtt;

import io.tether.api.io.DeliveryException;

/**
 * A message that was not queued for sending: the client is not connected or its in-flight window stayed full
 * (retryable), or the client refused the message itself (permanent).
 */
public final class PublishFailedException extends DeliveryException {
    private static final long serialVersionUID = 1L;

    public static final String NOT_CONNECTED = "mqtt client is not connected";

    public PublishFailedException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }

    public static PublishFailedException notConnected() {
        return new PublishFailedException(NOT_CONNECTED, true, null);
    }
}
