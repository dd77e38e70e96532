package io.tether.http.internal;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The management API's error body, {@code {"error": 1000, "message": "..."}}, for the errors that the HTTP server and
 * the edge filter answer themselves.
 */
public final class ErrorBodies {
    static final String CONTENT_TYPE = "application/json";
    static final String INTERNAL = "internal error; see the server log";

    private static final int GENERIC = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Texts that may name a class or carry a stack trace: never shown to a client. */
    private static final Pattern INTERNAL_TEXT = Pattern.compile("(?i)exception|error|java\\.|org\\.|\\$|\\n");

    private ErrorBodies() {
    }

    /** A body with the message as it is: for the refusals written here. */
    public static byte[] json(String message) {
        try {
            return MAPPER.writeValueAsBytes(new Body(GENERIC, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }

    /** A body for an error of the server or a servlet: {@link #message} tells what the client learns. */
    static byte[] fromServer(int status, String message) {
        return json(message(status, message));
    }

    /** What a client is told: the server's own text for a 4xx when it is plain, else the status's reason. */
    static String message(int status, String message) {
        if (status >= 500) {
            return INTERNAL;
        }
        if (message == null || message.isBlank() || INTERNAL_TEXT.matcher(message).find()) {
            return reason(status);
        }
        return message;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 408 -> "request timeout";
            case 413 -> "request body too large";
            case 414 -> "request URI too long";
            case 415 -> "unsupported media type";
            case 429 -> "too many requests";
            case 431 -> "request header fields too large";
            default -> "HTTP " + status;
        };
    }

    record Body(int error, String message) {
    }
}
