package io.tether.pool.internal.rest;

import static io.tether.pool.internal.rest.JaxRs.call;
import static io.tether.pool.internal.rest.JaxRs.errorMessage;
import static io.tether.pool.internal.rest.JaxRs.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.pool.internal.schema.ConnectorCatalog;

class ConnectorMetadataResourceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode MQTT_SCHEMA = MAPPER.valueToTree(Map.of("properties",
            Map.of("connection", Map.of("type", "object", "required", List.of("server")))));

    private final ConnectorCatalog catalog = new ConnectorCatalog() {
        @Override
        public List<ConnectorType> types() {
            return List.of(new ConnectorType("echo", "com.example.echo", "1.0.0"),
                    new ConnectorType("mqtt", "tether.conn.mqtt", "0.1.0.SNAPSHOT"));
        }

        @Override
        public Optional<JsonNode> schema(String typ) {
            return typ.equalsIgnoreCase("mqtt") ? Optional.of(MQTT_SCHEMA) : Optional.empty();
        }
    };
    private final ConnectorMetadataResource resource = new ConnectorMetadataResource(catalog);

    @Test
    void theInstalledTypesAreListedWithTheirBundles() {
        Response response = call(resource::types);
        assertEquals(200, response.getStatus());
        assertEquals(MAPPER.valueToTree(List.of(
                Map.of("typ", "echo", "bundle", "com.example.echo", "version", "1.0.0"),
                Map.of("typ", "mqtt", "bundle", "tether.conn.mqtt", "version", "0.1.0.SNAPSHOT"))), json(response));
    }

    @Test
    void aTypesSchemaIsServedAsItsBundleShipsIt() {
        Response response = call(() -> resource.schema("MQTT"));
        assertEquals(200, response.getStatus());
        assertEquals(MQTT_SCHEMA, json(response));
    }

    @Test
    void aTypeNotInstalledIsNotFound() {
        assertEquals("connector type 'x' is not installed", errorMessage(call(() -> resource.schema("x")), 404, 1000));
    }

    @Test
    void aTypeWithoutSchemaIsNotFoundAndSaysSo() {
        assertEquals("connector type 'echo' declares no props schema",
                errorMessage(call(() -> resource.schema("echo")), 404, 1000));
    }
}
