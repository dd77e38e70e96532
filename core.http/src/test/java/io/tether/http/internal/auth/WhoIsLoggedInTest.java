package io.tether.http.internal.auth;

import static io.tether.http.internal.auth.FilterCalls.basic;
import static io.tether.http.internal.auth.FilterCalls.sessionToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.http.internal.auth.FilterCalls.Answer;

/** {@code GET /login}: a reloaded page learns from its session cookie who is logged in, and nothing more. */
class WhoIsLoggedInTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void theSessionOfALoginTellsItsUserAndRoleButNotItsToken() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        Answer login = filter.call("POST", "/login", basic("carol", "her password"), null);
        assertEquals(200, login.status, login.body());
        String token = sessionToken(login);

        Answer who = filter.call("GET", "/login", null, token);
        assertEquals(200, who.status, who.body());
        assertEquals(Map.of("user", "carol", "role", "admin"), JSON.readValue(who.body(), Map.class));
        assertFalse(who.body().contains(token), "the answer holds the session's token");
        assertEquals("no-store", who.headers.get("Cache-Control"));
        assertTrue(who.addedHeaders.isEmpty(), "no new cookie: " + who.addedHeaders);
    }

    @Test
    void aReadonlyUserIsToldItsRole() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        String token = sessionToken(filter.call("POST", "/login", basic("dave", "his password"), null));

        Answer who = filter.call("GET", "/login", null, token);
        assertEquals(Map.of("user", "dave", "role", "readonly"), JSON.readValue(who.body(), Map.class));
    }

    @Test
    void credentialsWithoutASessionAreAnsweredToo() throws Exception {
        Answer who = new FilterCalls(home, "basic").call("GET", "/login", basic("carol", "her password"), null);
        assertEquals(200, who.status, who.body());
        assertEquals(Map.of("user", "carol", "role", "admin"), JSON.readValue(who.body(), Map.class));
    }

    @Test
    void withoutASessionOrOnceLoggedOutNobodyIsLoggedIn() throws Exception {
        FilterCalls filter = new FilterCalls(home, "basic");
        Answer nobody = filter.call("GET", "/login", null, null);
        assertEquals(401, nobody.status);
        assertTrue(nobody.body().contains("nobody is logged in"), nobody.body());

        String token = sessionToken(filter.call("POST", "/login", basic("carol", "her password"), null));
        assertEquals(200, filter.call("POST", "/logout", null, token).status);
        Answer ended = filter.call("GET", "/login", null, token);
        assertEquals(401, ended.status);
        assertTrue(ended.body().contains("the session has ended"), ended.body());

        assertEquals(401, filter.call("GET", "/login", null, "forged").status);
    }

    @Test
    void withoutAuthenticationNobodyLogsInAndEveryoneIsAdmin() throws Exception {
        Answer who = new FilterCalls(home, "none").call("GET", "/login", null, null);
        assertEquals(200, who.status);
        assertEquals(Map.of("role", "admin"), JSON.readValue(who.body(), Map.class));
        assertFalse(who.passedOn, "answered by the filter itself");
    }

    @Test
    void loginTakesOnlyGetAndPost() throws Exception {
        Answer put = new FilterCalls(home, "basic").call("PUT", "/login", basic("carol", "her password"), null);
        assertEquals(405, put.status);
        assertTrue(put.body().contains("GET /login tells who is logged in"), put.body());
    }
}
