package io.tether.pool.internal.rest;

import javax.ws.rs.core.Response;

/** eKuiper's error body, {@code {"error": <code>, "message": "<text>"}}, as a JSON response. */
final class ErrorResponses {
    /** eKuiper's generic error code. */
    static final int GENERIC = 1000;
    /** eKuiper's code for I/O failures: a connectivity check that could not connect. */
    static final int IO = 1003;

    private ErrorResponses() {
    }

    static Response of(int status, int code, String message) {
        return builder(status, code, message).build();
    }

    static Response.ResponseBuilder builder(int status, int code, String message) {
        return Json.response(status, new ErrorBody(code, message));
    }

    record ErrorBody(int error, String message) {
    }
}
