package io.tether.conn.http.internal.client;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Failures of requests as a user reads them: the cause, without the wrappers of asynchronous stages. */
public final class HttpFailures {
    private HttpFailures() {
    }

    /** The failure without its {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof CancellationException) {
            return "cancelled: the connection was closed";
        }
        if (cause instanceof ConnectException && (cause.getMessage() == null || cause.getMessage().isEmpty())) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message == null || message.isEmpty() ? cause.getClass().getSimpleName() : message;
    }
}
