package io.tether.shell.internal.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PropArgumentsTest {

    @Test
    void valuesThatReadAsJsonAreJsonAndTheRestIsText() {
        Map<String, Object> props = PropArguments.parse(List.of("server=tcp://127.0.0.1:1883", "qos=1",
                "ratio=0.5", "retained=true", "clientid=007", "name=\"1\"", "empty=", "topics=[\"a\",\"b\"]",
                "url=postgres://u:p@h/db?x=1"));
        assertEquals("tcp://127.0.0.1:1883", props.get("server"));
        assertEquals(1, props.get("qos"));
        assertEquals(0.5, props.get("ratio"));
        assertEquals(true, props.get("retained"));
        assertEquals("007", props.get("clientid"));
        assertEquals("1", props.get("name"));
        assertEquals("", props.get("empty"));
        assertEquals(List.of("a", "b"), props.get("topics"));
        assertEquals("postgres://u:p@h/db?x=1", props.get("url"));
    }

    @Test
    void dottedKeysAndJsonObjectsNestAndMerge() {
        Map<String, Object> props = PropArguments.parse(List.of("optional={\"ClientId\":\"c1\"}",
                "optional.Qos=1", "oauth.token.url=http://127.0.0.1/t"));
        assertEquals(Map.of("ClientId", "c1", "Qos", 1), props.get("optional"));
        assertEquals(Map.of("token", Map.of("url", "http://127.0.0.1/t")), props.get("oauth"));
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("expected key=value, got 'server'",
                assertThrows(IllegalArgumentException.class, () -> PropArguments.parse(List.of("server")))
                        .getMessage());
        assertEquals("expected key=value, got '=x'",
                assertThrows(IllegalArgumentException.class, () -> PropArguments.parse(List.of("=x"))).getMessage());
        assertEquals("prop a is given twice",
                assertThrows(IllegalArgumentException.class, () -> PropArguments.parse(List.of("a=1", "a=2")))
                        .getMessage());
        assertEquals("prop a is given a value and also nested props (a.b)",
                assertThrows(IllegalArgumentException.class, () -> PropArguments.parse(List.of("a=1", "a.b=2")))
                        .getMessage());
        assertEquals("'a..b' is not a prop name",
                assertThrows(IllegalArgumentException.class, () -> PropArguments.parse(List.of("a..b=2")))
                        .getMessage());
    }

    @Test
    void aMergePatchChangesWhatItNamesRemovesNullsAndKeepsTheRest() {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("server", "tcp://a");
        target.put("password", "******");
        target.put("optional", Map.of("ClientId", "c1", "Qos", 0));
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("server", "tcp://b");
        patch.put("optional", Map.of("Qos", 1));
        patch.put("password", null);
        assertEquals(Map.of("server", "tcp://b", "optional", Map.of("ClientId", "c1", "Qos", 1)),
                PropArguments.mergePatch(target, patch));
    }
}
