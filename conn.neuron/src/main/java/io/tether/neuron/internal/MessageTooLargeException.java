package io.tether.neuron.internal;

import java.io.IOException;

/** A message announced larger than the receive limit: the pipe is closed, as NNG does ({@code NNG-RCVMAX}). */
final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    MessageTooLargeException(long size, int limit) {
        super("a message of " + size + " bytes is over the receive limit of " + limit + " bytes (recvMaxSize)");
    }
}
