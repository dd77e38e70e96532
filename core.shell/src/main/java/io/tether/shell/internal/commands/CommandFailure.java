package io.tether.shell.internal.commands;

/** A command refused, with a message for the operator (secrets already masked); it carries no stack trace. */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message, null, false, false);
    }
}
