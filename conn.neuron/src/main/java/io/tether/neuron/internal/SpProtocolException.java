package io.tether.neuron.internal;

import java.io.IOException;

/** The peer broke the SP protocol or speaks another one (pair1, or not SP at all). */
final class SpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    SpProtocolException(String message) {
        super(message);
    }
}
