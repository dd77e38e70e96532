package io.tether.edgex.internal;

/** A message on the bus that is not an EdgeX envelope, Event or AddEventRequest: one message lost, never the source. */
final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
