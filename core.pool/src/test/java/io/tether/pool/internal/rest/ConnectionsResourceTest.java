package io.tether.pool.internal.rest;

import static io.tether.pool.internal.rest.JaxRs.call;
import static io.tether.pool.internal.rest.JaxRs.errorMessage;
import static io.tether.pool.internal.rest.JaxRs.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;

class ConnectionsResourceTest {
    private static final String MQTT_BODY = """
            {"id": "m1", "typ": "mqtt", "props": {"server": "tcp://broker:1883", "qos": 1}}""";

    private final FakeConnectionPool pool = new FakeConnectionPool();
    private final ConnectionsResource resource = new ConnectionsResource(pool);

    /** Bodies that are not a create/update request, and what the 400's message must say. */
    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("", "request body is empty"),
                Arguments.of("   ", "request body is empty"),
                Arguments.of("{\"id\": \"m1\", \"typ\": ", "request body is not valid JSON"),
                Arguments.of("not json", "request body is not valid JSON"),
                Arguments.of("{\"id\": \"m1\", \"typ\": \"mqtt\"} trailing", "request body is not valid JSON"),
                Arguments.of("[{\"id\": \"m1\"}]", "request body must be a JSON object, not an array"),
                Arguments.of("\"m1\"", "request body must be a JSON object, not a string"),
                Arguments.of("{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": [1]}", "props must be a JSON object, not an array"),
                Arguments.of("{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": \"x\"}", "props must be a JSON object, not a string"),
                Arguments.of("{\"id\": \"m1\", \"typ\": 7, \"props\": {}}", "typ must be a string, not a number"),
                Arguments.of("{\"id\": 7, \"typ\": \"mqtt\", \"props\": {}}", "id must be a string, not a number"));
    }

    static ConnectionInfo connection(String id, boolean named, String... refs) {
        return new ConnectionInfo(id, "mqtt", Map.of("server", "tcp://broker:1883"), named,
                new ConnectionStatus(Status.CONNECTED, null, 0, 0, 0, List.of(refs)));
    }

    @Nested
    class Create {
        @Test
        void answers201WithTheConnectionObject() {
            Response response = call(() -> resource.create(MQTT_BODY));

            assertEquals(201, response.getStatus());
            JsonNode body = json(response);
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("id", "typ", "props", "isNamed", "status", "err", "refCount", "refs"), fields);
            assertEquals("m1", body.path("id").textValue());
            assertEquals("mqtt", body.path("typ").textValue());
            assertEquals("tcp://broker:1883", body.path("props").path("server").textValue());
            assertEquals(1, body.path("props").path("qos").intValue());
            assertTrue(body.path("isNamed").booleanValue());
            assertEquals("connecting", body.path("status").textValue());
            assertEquals("", body.path("err").textValue());
            assertEquals(0, body.path("refCount").intValue());
            assertTrue(body.path("refs").isArray());
            assertFalse(body.has("lastConnected"), "unknown times are omitted");
            assertFalse(body.has("lastDisconnected"));
            assertFalse(body.has("lastTry"));
            assertTrue(pool.get("m1").isPresent());
        }

        @Test
        void answers409WhenTheIdExists() {
            call(() -> resource.create(MQTT_BODY));

            assertEquals("connection m1 already exists", errorMessage(call(() -> resource.create(MQTT_BODY)), 409, 1000));
        }

        @ParameterizedTest
        @MethodSource("io.tether.pool.internal.rest.ConnectionsResourceTest#badBodies")
        void answers400ForBadJson(String body, String expected) {
            String message = errorMessage(call(() -> resource.create(body)), 400, 1000);

            assertTrue(message.startsWith(expected), message);
            assertTrue(pool.list(true).isEmpty(), "nothing is created");
        }

        @Test
        void answers400WithoutTyp() {
            String body = "{\"id\": \"m1\", \"props\": {}}";

            assertEquals("typ is required", errorMessage(call(() -> resource.create(body)), 400, 1000));
        }

        @Test
        void passesAMissingIdOnAsEmptyForThePoolToRefuse() {
            String body = "{\"typ\": \"mqtt\", \"props\": {\"server\": \"tcp://broker:1883\"}}";

            assertEquals("id cannot be empty", errorMessage(call(() -> resource.create(body)), 400, 1000));
        }

        @Test
        void takesMissingOrNullPropsAsEmpty() {
            String body = "{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": null}";

            assertEquals("invalid props: server: must be a tcp:// URL",
                    errorMessage(call(() -> resource.create(body)), 400, 1000));
        }

        @ParameterizedTest
        @ValueSource(strings = {" m1", "m 1", "m/1"})
        void answers400ForABadIdWithThePoolsMessage(String id) {
            String body = "{\"id\": \"" + id + "\", \"typ\": \"mqtt\", \"props\": {\"server\": \"tcp://b:1883\"}}";

            String message = errorMessage(call(() -> resource.create(body)), 400, 1000);

            assertTrue(message.startsWith("id '" + id + "' contains"), message);
        }

        @Test
        void answers400ForAnIdLongerThan128CharactersAndCreatesNothing() {
            String body = "{\"id\": \"" + "m".repeat(1000) + "\", \"typ\": \"mqtt\", \"props\": {}}";

            assertEquals("id is longer than 128 characters", errorMessage(call(() -> resource.create(body)), 400, 1000));
            assertTrue(pool.list(true).isEmpty(), "nothing is created");
        }

        @Test
        void answers400ForAPropLargerThan64KiBNamingIt() {
            String body = "{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": {\"server\": \"tcp://b:1883\", "
                    + "\"note\": \"" + "x".repeat(70_000) + "\"}}";

            assertEquals("prop note is larger than 65536 bytes", errorMessage(call(() -> resource.create(body)), 400, 1000));
            assertTrue(pool.list(true).isEmpty(), "nothing is created");
        }

        @Test
        void answers400ForAKeyGivenTwiceNamingIt() {
            String body = "{\"id\": \"m1\", \"id\": \"m2\", \"typ\": \"mqtt\", \"props\": {}}";

            String message = errorMessage(call(() -> resource.create(body)), 400, 1000);

            assertTrue(message.contains("Duplicate field 'id'"), message);
        }

        @Test
        void answers400ForPropsNestedDeeperThan64Levels() {
            String body = "{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": {\"p\": "
                    + "{\"a\": ".repeat(900) + "1" + "}".repeat(900) + "}}";

            assertEquals("request body is nested deeper than 64 levels or has a string longer than 1048576 characters",
                    errorMessage(call(() -> resource.create(body)), 400, 1000));
        }

        @Test
        void answers400ForAnUnknownTypeNamingTheInstalledOnes() {
            String body = "{\"id\": \"m1\", \"typ\": \"kafka\", \"props\": {}}";

            assertEquals("connector type 'kafka' is not installed; installed types: [httppush, mqtt]",
                    errorMessage(call(() -> resource.create(body)), 400, 1000));
        }

        @Test
        void answers400ForInvalidPropsNamingTheProp() {
            String body = "{\"id\": \"m1\", \"typ\": \"mqtt\", \"props\": {\"server\": \"udp://x\"}}";

            assertEquals("invalid props: server: must be a tcp:// URL",
                    errorMessage(call(() -> resource.create(body)), 400, 1000));
        }
    }

    @Nested
    class Listing {
        @Test
        void answersTheNamedConnectionsSortedById() {
            pool.put(connection("b", true));
            pool.put(connection("anon", false));
            pool.put(connection("a", true));

            Response response = call(() -> resource.list(false));

            assertEquals(200, response.getStatus());
            assertEquals(List.of("a", "b"), ids(json(response)));
        }

        @Test
        void answersTheAnonymousOnesTooWithForceAll() {
            pool.put(connection("b", true));
            pool.put(connection("anon", false));

            JsonNode body = json(call(() -> resource.list(true)));

            assertEquals(List.of("anon", "b"), ids(body));
            assertFalse(body.get(0).path("isNamed").booleanValue());
        }

        @Test
        void answersAnEmptyArray() {
            Response response = call(() -> resource.list(false));

            assertEquals(200, response.getStatus());
            assertEquals("[]", response.getEntity());
        }

        private List<String> ids(JsonNode array) {
            return Stream.iterate(0, i -> i < array.size(), i -> i + 1).map(i -> array.get(i).path("id").textValue())
                    .toList();
        }
    }

    @Nested
    class Get {
        @Test
        void answersTheConnectionWithStatusErrRefsAndTimes() {
            pool.put(new ConnectionInfo("m1", "mqtt", Map.of("password", "******"), true,
                    new ConnectionStatus(Status.DISCONNECTED, "connection refused", 1000, 2000, 0,
                            List.of("r1", "r2"))));

            Response response = call(() -> resource.get("m1"));

            assertEquals(200, response.getStatus());
            JsonNode body = json(response);
            assertEquals("disconnected", body.path("status").textValue());
            assertEquals("connection refused", body.path("err").textValue());
            assertEquals(2, body.path("refCount").intValue());
            assertEquals("r2", body.path("refs").get(1).textValue());
            assertEquals(1000, body.path("lastConnected").longValue());
            assertEquals(2000, body.path("lastDisconnected").longValue());
            assertFalse(body.has("lastTry"));
            assertEquals("******", body.path("props").path("password").textValue());
        }

        @Test
        void answers404ForAnUnknownId() {
            assertEquals("connection nope not existed", errorMessage(call(() -> resource.get("nope")), 404, 1000));
        }

        @Test
        void answers400ForABadId() {
            assertEquals("id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
                    errorMessage(call(() -> resource.get("a.b")), 400, 1000));
        }
    }

    @Nested
    class Update {
        @Test
        void answers200WithTheConnectionAndThePathIdWins() {
            pool.put(connection("m1", true));
            String body = "{\"id\": \"other\", \"typ\": \"mqtt\", \"props\": {\"server\": \"tcp://new:1883\"}}";

            Response response = call(() -> resource.update("m1", body));

            assertEquals(200, response.getStatus());
            assertEquals("m1", json(response).path("id").textValue());
            assertEquals("tcp://new:1883", pool.get("m1").orElseThrow().props().get("server"));
            assertTrue(pool.get("other").isEmpty());
        }

        @Test
        void keepsTheTypeWhenTheBodyHasNone() {
            pool.put(connection("m1", true));
            String body = "{\"props\": {\"server\": \"tcp://new:1883\"}}";

            Response response = call(() -> resource.update("m1", body));

            assertEquals(200, response.getStatus());
            assertEquals("mqtt", json(response).path("typ").textValue());
        }

        @Test
        void answers404ForAnUnknownId() {
            assertEquals("connection m1 not existed", errorMessage(call(() -> resource.update("m1", MQTT_BODY)), 404, 1000));
            assertEquals("connection m1 not existed",
                    errorMessage(call(() -> resource.update("m1", "{\"props\": {}}")), 404, 1000));
        }

        @Test
        void answers409ForAnAnonymousConnection() {
            pool.put(connection("anon", false));

            assertEquals("internal connection anon can't be edit",
                    errorMessage(call(() -> resource.update("anon", MQTT_BODY)), 409, 1000));
        }

        @Test
        void answers409WhenTheTypeChangesWhileReferenced() {
            pool.put(connection("m1", true, "r1", "r2"));
            String body = "{\"typ\": \"httppush\", \"props\": {}}";

            assertEquals("connection m1 can't be dropped due to rule references [r1 r2]",
                    errorMessage(call(() -> resource.update("m1", body)), 409, 1000));
        }

        @Test
        void answers400ForInvalidPropsAndChangesNothing() {
            pool.put(connection("m1", true));
            String body = "{\"typ\": \"mqtt\", \"props\": {\"server\": \"udp://x\"}}";

            assertEquals("invalid props: server: must be a tcp:// URL",
                    errorMessage(call(() -> resource.update("m1", body)), 400, 1000));
            assertEquals("tcp://broker:1883", pool.get("m1").orElseThrow().props().get("server"));
        }

        @ParameterizedTest
        @MethodSource("io.tether.pool.internal.rest.ConnectionsResourceTest#badBodies")
        void answers400ForBadJson(String body, String expected) {
            pool.put(connection("m1", true));

            String message = errorMessage(call(() -> resource.update("m1", body)), 400, 1000);

            assertTrue(message.startsWith(expected), message);
        }

        @Test
        void answers400ForABadId() {
            String message = errorMessage(call(() -> resource.update(" m1", MQTT_BODY)), 400, 1000);

            assertEquals("id ' m1' contains leading or trailing whitespace", message);
        }
    }

    @Nested
    class Delete {
        @Test
        void answers200WithoutBody() {
            pool.put(connection("m1", true));

            Response response = call(() -> resource.delete("m1"));

            assertEquals(200, response.getStatus());
            assertNull(response.getEntity());
            assertTrue(pool.get("m1").isEmpty());
        }

        @Test
        void answers200ForAnUnknownId() {
            assertEquals(200, call(() -> resource.delete("nope")).getStatus());
        }

        @Test
        void answers409ForAnAnonymousConnection() {
            pool.put(connection("anon", false));

            assertEquals("internal connection anon can't be edit",
                    errorMessage(call(() -> resource.delete("anon")), 409, 1000));
        }

        @Test
        void answers409WhileReferenced() {
            pool.put(connection("m1", true, "r1"));

            assertEquals("connection m1 can't be dropped due to rule references [r1]",
                    errorMessage(call(() -> resource.delete("m1")), 409, 1000));
            assertTrue(pool.get("m1").isPresent());
        }

        @Test
        void answers400ForABadId() {
            assertEquals("id cannot be empty", errorMessage(call(() -> resource.delete("")), 400, 1000));
        }
    }
}
