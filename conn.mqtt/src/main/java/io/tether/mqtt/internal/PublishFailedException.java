package io.tether.mqtt.internal;

/** A message that was not queued for sending: the client is not connected, or its in-flight window stayed full. */
final class PublishFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    static final String NOT_CONNECTED = "mqtt client is not connected";

    PublishFailedException(String message) {
        super(message);
    }

    static PublishFailedException notConnected() {
        return new PublishFailedException(NOT_CONNECTED);
    }
}
