package io.tether.pool.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;

public class ConnectorSchemaTest {
    /** A schema with every feature the pool relies on: required, enum, $ref, nested objects, writeOnly. */
    public static final String ECHO = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": {"qos": {"type": "integer", "enum": [0, 1, 2], "default": 1}},
              "properties": {
                "connection": {
                  "type": "object",
                  "required": ["server"],
                  "properties": {
                    "server": {"type": "string"},
                    "protocolVersion": {"type": "string", "enum": ["3.1", "3.1.1", "5"]},
                    "keepAlive": {"type": "integer", "minimum": 0, "default": 30},
                    "signature": {"type": "string", "writeOnly": true},
                    "optional": {
                      "type": "object",
                      "properties": {"Qos": {"$ref": "#/$defs/qos"}, "Seal": {"type": "string", "writeOnly": true}}
                    }
                  }
                },
                "source": {"type": "object", "properties": {"qos": {"$ref": "#/$defs/qos"}}},
                "sink": {
                  "type": "object",
                  "required": ["topic"],
                  "properties": {"topic": {"type": "string"}, "stamp": {"type": "string", "writeOnly": true}}
                }
              }
            }
            """;

    public static ConnectorSchema echo() throws IOException {
        return ConnectorSchema.read(new ByteArrayInputStream(ECHO.getBytes(StandardCharsets.UTF_8)), "echo.json");
    }

    @Test
    void conformingPropsHaveNoProblemsAndUnlistedPropsAreAllowed() throws IOException {
        assertEquals(List.of(), echo().validate(SchemaPart.CONNECTION,
                Map.of("server", "tcp://h:1883", "keepAlive", 10, "extra", List.of(1))));
    }

    @Test
    void eachProblemNamesItsProp() throws IOException {
        List<PropError> problems = echo().validate(SchemaPart.CONNECTION,
                Map.of("protocolVersion", "7", "keepAlive", "x"));
        assertEquals(Set.of("server", "protocolVersion", "keepAlive"),
                Set.copyOf(problems.stream().map(PropError::prop).toList()));
        problems.forEach(problem -> assertTrue(!problem.message().isBlank()
                && !problem.message().startsWith("$"), problem.toString()));
    }

    @Test
    void nestedPropsAndReferencesAreChecked() throws IOException {
        List<PropError> problems = echo().validate(SchemaPart.CONNECTION,
                Map.of("server", "s", "optional", Map.of("Qos", 3)));
        assertEquals(List.of("optional.Qos"), problems.stream().map(PropError::prop).toList());
        assertEquals(Set.of("qos"), Set.copyOf(echo().validate(SchemaPart.SOURCE, Map.of("qos", "high")).stream()
                .map(PropError::prop).toList()));
    }

    @Test
    void eachPartIsCheckedByItsOwnSubschema() throws IOException {
        assertEquals(List.of("topic"), echo().validate(SchemaPart.SINK, Map.of()).stream()
                .map(PropError::prop).toList());
        assertEquals(List.of(), echo().validate(SchemaPart.SOURCE, Map.of()));
    }

    @Test
    void writeOnlyPropsOfEveryPartAndDepthAreTheSecrets() throws IOException {
        assertEquals(Set.of("signature", "Seal", "stamp"), echo().secretProps());
    }

    @Test
    void aDocumentThatIsNotAnObjectSchemaIsRefusedWithItsLocation() {
        IOException notJson = assertThrows(IOException.class, () -> ConnectorSchema.read(
                new ByteArrayInputStream("[1]".getBytes(StandardCharsets.UTF_8)), "b/x.json"));
        assertTrue(notJson.getMessage().contains("b/x.json"), notJson.getMessage());
        IOException badType = assertThrows(IOException.class, () -> ConnectorSchema.read(new ByteArrayInputStream(
                "{\"properties\": {\"connection\": {\"type\": 7}}}".getBytes(StandardCharsets.UTF_8)), "y.json"));
        assertTrue(badType.getMessage().contains("y.json"), badType.getMessage());
    }
}
