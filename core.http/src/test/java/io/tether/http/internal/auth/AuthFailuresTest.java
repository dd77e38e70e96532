package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthFailuresTest {
    private static final long WINDOW = 60_000;
    private static final String ADMIN = "basic:admin";

    @Test
    void theFifthFailureLocksTheAddressOutForTheWindow() {
        AuthFailures failures = new AuthFailures(5, WINDOW, 100);
        for (int i = 0; i < 4; i++) {
            assertFalse(failures.failed("10.0.0.1", ADMIN, i * 1000));
            assertEquals(0, failures.lockedForMillis("10.0.0.1", i * 1000));
        }
        assertTrue(failures.failed("10.0.0.1", ADMIN, 4000), "locked by the fifth");
        assertEquals(WINDOW, failures.lockedForMillis("10.0.0.1", 4000));
        assertEquals(WINDOW - 10_000, failures.lockedForMillis("10.0.0.1", 14_000));
        assertEquals(0, failures.lockedForMillis("10.0.0.1", 4000 + WINDOW), "free again once the window passed");
        assertFalse(failures.failed("10.0.0.1", ADMIN, 4000 + WINDOW), "counting starts afresh");
    }

    @Test
    void failuresSpreadWiderThanTheWindowDoNotLock() {
        AuthFailures failures = new AuthFailures(3, WINDOW, 100);
        assertFalse(failures.failed("10.0.0.1", ADMIN, 0));
        assertFalse(failures.failed("10.0.0.1", ADMIN, 30_000));
        assertFalse(failures.failed("10.0.0.1", ADMIN, WINDOW), "the first two are forgotten");
        assertFalse(failures.failed("10.0.0.1", ADMIN, WINDOW + 1));
        assertTrue(failures.failed("10.0.0.1", ADMIN, WINDOW + 2));
    }

    @Test
    void aSuccessForgetsTheFailuresOfItsClaimant() {
        AuthFailures failures = new AuthFailures(3, WINDOW, 100);
        failures.failed("10.0.0.1", ADMIN, 0);
        failures.failed("10.0.0.1", ADMIN, 1);
        failures.succeeded("10.0.0.1", ADMIN, 2);
        assertEquals(0, failures.addresses(), "nothing left to remember");
        assertFalse(failures.failed("10.0.0.1", ADMIN, 2));
        assertFalse(failures.failed("10.0.0.1", ADMIN, 3));
        assertTrue(failures.failed("10.0.0.1", ADMIN, 4));
    }

    @Test
    void aSuccessOfAnotherClaimantForgetsNothingOfTheGuessedOne() {
        AuthFailures failures = new AuthFailures(3, WINDOW, 100);
        failures.failed("10.0.0.1", ADMIN, 0);
        failures.failed("10.0.0.1", "basic:viewer", 1);
        failures.succeeded("10.0.0.1", "basic:viewer", 2);
        failures.failed("10.0.0.1", ADMIN, 3);
        failures.succeeded("10.0.0.1", "basic:viewer", 4);
        assertTrue(failures.failed("10.0.0.1", ADMIN, 5), "three guesses at admin, however many viewer logins between");
    }

    @Test
    void anotherAddressIsNotAffected() {
        AuthFailures failures = new AuthFailures(2, WINDOW, 100);
        failures.failed("10.0.0.1", ADMIN, 0);
        failures.failed("10.0.0.1", ADMIN, 0);
        assertTrue(failures.lockedForMillis("10.0.0.1", 1) > 0);
        assertEquals(0, failures.lockedForMillis("10.0.0.2", 1));
        assertFalse(failures.failed("10.0.0.2", ADMIN, 1));
    }

    @Test
    void theTableKeepsAtMostItsBoundForgettingTheAddressHeardFromLongestAgo() {
        AuthFailures failures = new AuthFailures(2, WINDOW, 100);
        failures.failed("10.0.0.1", ADMIN, 0);
        failures.failed("10.0.0.1", ADMIN, 0);
        failures.failed("10.0.0.2", ADMIN, 0);
        for (int i = 0; i < 100_000; i++) {
            failures.failed("2001:db8::" + Integer.toHexString(i), ADMIN, 1);
            assertTrue(failures.addresses() <= 100);
            if (i % 50 == 0) {
                failures.failed("10.0.0.2", ADMIN, 1);
            }
        }
        assertEquals(100, failures.addresses());
        assertEquals(0, failures.lockedForMillis("10.0.0.1", 2), "forgotten: heard from longest ago");
        assertTrue(failures.lockedForMillis("10.0.0.2", 2) > 0, "heard from lately: still locked out");
    }

    @Test
    void aLimitOfZeroNeverLocks() {
        AuthFailures failures = new AuthFailures(0, WINDOW, 100);
        for (int i = 0; i < 100; i++) {
            assertFalse(failures.failed("10.0.0.1", ADMIN, i));
        }
        assertEquals(0, failures.lockedForMillis("10.0.0.1", 100));
        assertEquals(0, failures.addresses());
    }
}
