package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tether.http.internal.auth.AuthFilter.Method;

class AuthSettingsTest {

    @Test
    void theAuthenticationSettingNamesTheAcceptedMethods() {
        assertEquals(EnumSet.noneOf(Method.class), AuthFilter.parse("none"));
        assertEquals(EnumSet.of(Method.BASIC), AuthFilter.parse("Basic"));
        assertEquals(EnumSet.of(Method.BASIC, Method.JWT), AuthFilter.parse("basic,jwt"));
        assertNull(AuthFilter.parse("bsic"), "a typo is not taken for none");
    }

    @Test
    void onlyLoopbackAddressesAreLocal() {
        assertTrue(BindAddress.isLoopbackOnly("127.0.0.1"));
        assertTrue(BindAddress.isLoopbackOnly("localhost"));
        assertTrue(BindAddress.isLoopbackOnly("::1"));
        assertFalse(BindAddress.isLoopbackOnly("0.0.0.0"));
        assertFalse(BindAddress.isLoopbackOnly("192.168.1.10"));
        assertFalse(BindAddress.isLoopbackOnly("gateway.example"));
        assertFalse(BindAddress.isLoopbackOnly(null), "Felix binds every address when none is set");
    }

    @Test
    void aSessionEndsAfterItsLifetimeWithoutUse() {
        Sessions sessions = new Sessions(1000);
        Principal alice = new Principal("alice", Role.ADMIN);
        String token = sessions.open(alice, 0);

        assertEquals(Optional.of(alice), sessions.find(token, 900));
        assertEquals(Optional.of(alice), sessions.find(token, 1800), "each use extends it");
        assertEquals(Optional.empty(), sessions.find(token, 3000));
        assertEquals(Optional.empty(), sessions.find("forged", 0));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrict() {
        assertEquals("tether_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure",
                AuthFilter.cookie("abc", 3600, true));
    }
}
