package io.tether.mqtt.internal;

import io.tether.api.io.DeliveryException;

/**
 * A message that was not queued for sending: the client is not connected or its in-flight window stayed full
 * (retryable), or the client refused the message itself (permanent).
 */
final class PublishFailedException extends DeliveryException {
    private static final long serialVersionUID = 1L;

    static final String NOT_CONNECTED = "mqtt client is not connected";

    PublishFailedException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }

    static PublishFailedException notConnected() {
        return new PublishFailedException(NOT_CONNECTED, true, null);
    }
}
