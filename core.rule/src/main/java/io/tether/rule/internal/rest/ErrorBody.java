package io.tether.rule.internal.rest;

/** eKuiper's error body, {@code {"error": 1000, "message": "<text>"}}. */
record ErrorBody(int error, String message) {
    /** eKuiper's generic error code. */
    static final int GENERIC = 1000;
}
