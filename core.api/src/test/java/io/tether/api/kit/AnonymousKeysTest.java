package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnonymousKeysTest {

    @Test
    void aPerNodeKeyIsTheRuleTheOperatorAndTheNodesParts() {
        TestSinkContext context = new TestSinkContext("rule1", "sink_mqtt_0");
        assertEquals("rule1/sink_mqtt_0/out/1", AnonymousKeys.perNode(context, "out/1"));
        assertEquals("rule1/sink_mqtt_0", AnonymousKeys.perNode(context));
    }

    @Test
    void aSharedKeyWithoutSecretsIsWhatMayBeShown() {
        assertEquals("sqlite:/x.db", AnonymousKeys.shared("sqlite:/x.db"));
        assertEquals("sqlite:/x.db", AnonymousKeys.shared("sqlite:/x.db", null, null));
    }

    @Test
    void secretsTellResourcesApartWithoutShowingThemselves() {
        String key = AnonymousKeys.shared("postgres://u:******@h/db", "postgres://u:s3cret@h/db");

        assertTrue(key.startsWith("postgres://u:******@h/db#"), key);
        assertFalse(key.contains("s3cret"), key);
        assertEquals(key, AnonymousKeys.shared("postgres://u:******@h/db", "postgres://u:s3cret@h/db"));
        assertNotEquals(key, AnonymousKeys.shared("postgres://u:******@h/db", "postgres://u:other@h/db"));
        assertNotEquals(AnonymousKeys.shared("h/db", null, "a"), AnonymousKeys.shared("h/db", "a", null));
    }
}
