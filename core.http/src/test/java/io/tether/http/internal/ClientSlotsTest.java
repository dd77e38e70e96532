package io.tether.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientSlotsTest {

    @Test
    void aClientGetsAtMostTheLimitAndOtherClientsAreNotAffected() {
        ClientSlots slots = new ClientSlots(2);
        assertTrue(slots.tryAcquire("10.0.0.1"));
        assertTrue(slots.tryAcquire("10.0.0.1"));
        assertFalse(slots.tryAcquire("10.0.0.1"));
        assertTrue(slots.tryAcquire("10.0.0.2"));
    }

    @Test
    void aReleasedSlotCanBeTakenAgainAndIdleClientsAreForgotten() {
        ClientSlots slots = new ClientSlots(1);
        assertTrue(slots.tryAcquire("10.0.0.1"));
        slots.release("10.0.0.1");
        assertEquals(0, slots.inUse("10.0.0.1"));
        assertTrue(slots.tryAcquire("10.0.0.1"));
    }
}
