package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;

class NodePropsTest {
    private static final PropError NO_URL = new PropError("url", "missing url property");

    private static List<PropError> connectionCheck(Map<String, Object> props) {
        return props.containsKey("url") ? List.of() : List.of(NO_URL);
    }

    @Test
    void aNodeNamingAConnectionHasItsConnectionPropsCheckedByThePoolNotHere() {
        NodeProps node = new NodeProps(Map.of("connectionSelector", "redis1", "key", "k"))
                .checkConnection(NodePropsTest::connectionCheck);
        assertEquals(List.of(), node.problems());
        assertTrue(NodeProps.usesNamedConnection(node.props()));
    }

    @Test
    void aNodeOnAnAnonymousConnectionHasItsWholePropsCheckedAsTheConnections() {
        assertEquals(List.of(NO_URL), new NodeProps(Map.of("key", "k"))
                .checkConnection(NodePropsTest::connectionCheck).problems());
        assertEquals(List.of(), NodeProps.connectionProblems(Map.of("url", "redis://h", "key", "k"),
                NodePropsTest::connectionCheck));
    }

    @Test
    void gettersReadTextAsJsonAndYamlGiveIt() {
        NodeProps node = new NodeProps(Map.of("n", "12", "m", 3.0, "b", "TRUE", "c", false, "s", "x"));

        assertEquals(12, node.integer("n", 0, 0, 100));
        assertEquals(3, node.integer("m", 0, 0, 100));
        assertEquals(7, node.integer("absent", 7, 0, 100));
        assertTrue(node.bool("b", false));
        assertFalse(node.bool("c", true));
        assertTrue(node.bool("absent", true));
        assertEquals("x", node.string("s", null));
        assertEquals("d", node.string("absent", "d"));
        assertEquals(List.of(), node.problems());
    }

    @Test
    void wrongValuesAreProblemsNamingTheirPropAndGiveTheFallback() {
        NodeProps node = new NodeProps(Map.of("n", "many", "f", 1.5, "big", 1000, "b", "yes", "s", 5));

        assertEquals(1, node.integer("n", 1, 0, 100));
        assertEquals(1, node.integer("f", 1, 0, 100));
        assertEquals(1, node.integer("big", 1, 0, 100));
        assertTrue(node.bool("b", true));
        assertEquals("d", node.string("s", "d"));
        assertNull(node.requiredString("topic"));

        assertEquals(List.of(
                new PropError("n", "n must be a whole number from 0 to 100, not many"),
                new PropError("f", "f must be a whole number from 0 to 100, not 1.5"),
                new PropError("big", "big must be a whole number from 0 to 100, not 1000"),
                new PropError("b", "b must be true or false, not yes"),
                new PropError("s", "s must be a string"),
                new PropError("topic", "missing topic property")), node.problems());
    }
}
