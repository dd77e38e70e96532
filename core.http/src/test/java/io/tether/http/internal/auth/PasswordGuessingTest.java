package io.tether.http.internal.auth;

import static io.tether.http.internal.auth.FilterCalls.basic;
import static io.tether.http.internal.auth.FilterCalls.sessionToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.http.internal.auth.FilterCalls.Answer;

/** Failed credentials from one client address lock that address out for a while: 429 with Retry-After. */
class PasswordGuessingTest {
    private static final String ATTACKER = "192.0.2.7";

    @TempDir
    Path home;

    @Test
    void afterFiveWrongPasswordsTheAddressGets429WithRetryAfterEvenWithTheRightOne() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        for (int i = 0; i < 5; i++) {
            Answer wrong = filter.call(ATTACKER, "POST", "/login", basic("carol", "guess " + i), null);
            assertEquals(401, wrong.status, wrong.body());
        }
        Answer locked = filter.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null);
        assertEquals(429, locked.status, locked.body());
        assertEquals("300", locked.headers.get("Retry-After"));
        assertTrue(locked.body().contains("too many failed authentications"), locked.body());
        assertFalse(locked.body().contains("her password"));
        assertTrue(locked.addedHeaders.isEmpty(), "no challenge, no cookie: " + locked.addedHeaders);

        Answer api = filter.call(ATTACKER, "GET", "/connections", basic("carol", "her password"), null);
        assertEquals(429, api.status, "Basic on any request is refused too");
        assertFalse(api.passedOn);
    }

    @Test
    void anotherAddressIsNotAffected() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        for (int i = 0; i < 5; i++) {
            filter.call(ATTACKER, "GET", "/connections", basic("carol", "guess " + i), null);
        }
        assertEquals(429, filter.call(ATTACKER, "GET", "/connections", basic("carol", "x"), null).status);

        Answer other = filter.call("192.0.2.8", "GET", "/connections", basic("carol", "her password"), null);
        assertTrue(other.passedOn, "status " + other.status + " " + other.body());
    }

    @Test
    void aSuccessResetsTheCount() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, filter.call(ATTACKER, "POST", "/login", basic("carol", "typo " + i), null).status);
            }
            Answer right = filter.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null);
            assertEquals(200, right.status, "round " + round + ": " + right.body());
        }
    }

    @Test
    void aSessionOpenedBeforeStillWorksWhileItsAddressIsLockedOut() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        String token = sessionToken(filter.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null));
        for (int i = 0; i < 5; i++) {
            filter.call(ATTACKER, "POST", "/login", basic("carol", "guess " + i), null);
        }
        Answer withCookie = filter.call(ATTACKER, "GET", "/connections", null, token);
        assertTrue(withCookie.passedOn, "a session cookie is no password guess");
    }

    @Test
    void requestsWithoutCredentialsAndEndedSessionsAreNotCounted() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, filter.call(ATTACKER, "GET", "/connections", null, null).status);
            assertEquals(401, filter.call(ATTACKER, "GET", "/events", null, "ended").status);
        }
        Answer right = filter.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null);
        assertEquals(200, right.status, right.body());
    }

    @Test
    void theLimitAndWindowAreSettings() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic",
                Map.of("maxFailedAuthentications", 2, "failureWindowSeconds", 30));
        filter.call(ATTACKER, "POST", "/login", basic("carol", "a"), null);
        filter.call(ATTACKER, "POST", "/login", basic("carol", "b"), null);
        Answer locked = filter.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null);
        assertEquals(429, locked.status);
        assertEquals("30", locked.headers.get("Retry-After"));

        FilterCalls off = new FilterCalls(home, "basic", Map.of("maxFailedAuthentications", 0));
        for (int i = 0; i < 10; i++) {
            off.call(ATTACKER, "POST", "/login", basic("carol", "guess " + i), null);
        }
        Answer right = off.call(ATTACKER, "POST", "/login", basic("carol", "her password"), null);
        assertEquals(200, right.status);
        assertNull(right.headers.get("Retry-After"));
    }
}
