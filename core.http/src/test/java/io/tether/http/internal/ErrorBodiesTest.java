package io.tether.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

    @Test
    void aRefusalKeepsItsMessageInTheApiFormat() {
        assertEquals("{\"error\":1000,\"message\":\"request body is larger than 10 bytes\"}",
                new String(ErrorBodies.json("request body is larger than 10 bytes"), StandardCharsets.UTF_8));
    }

    @Test
    void aPlainServerMessageOfAClientErrorIsShown() {
        assertEquals("Line Folding not supported", ErrorBodies.message(400, "Line Folding not supported"));
    }

    @Test
    void serverMessagesNamingClassesOrExceptionsAreReplacedByTheReason() {
        assertEquals("bad request", ErrorBodies.message(400, "java.nio.charset.UnsupportedCharsetException: x"));
        assertEquals("bad request", ErrorBodies.message(400, "org.eclipse.jetty.http.BadMessageException: 400"));
        assertEquals("request URI too long", ErrorBodies.message(414, null));
    }

    @Test
    void aServerErrorNeverTellsItsCause() {
        assertEquals(ErrorBodies.INTERNAL, ErrorBodies.message(500, "java.lang.OutOfMemoryError: Java heap space"));
    }
}
