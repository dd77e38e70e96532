package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPoolException;

class IdsTest {
    private static String refusal(String id) {
        return assertThrows(ConnectionPoolException.class, () -> Ids.requireValid(id)).getMessage();
    }

    @Test
    void refusesBadIdsWithTheSpecMessages() {
        assertEquals("id cannot be empty", refusal(""));
        assertEquals("id ' a' contains leading or trailing whitespace", refusal(" a"));
        assertEquals("id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
                refusal("a b"));
        Ids.requireValid("Mqtt_con-1");
    }
}
