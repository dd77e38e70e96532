package io.tether.rule.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.runtime.RuleEngine;

/** Calls the resources as the JAX-RS runtime would, with the built-in simulator source and nop/log sinks. */
class RestResourcesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM = "{\"sql\": \"CREATE STREAM demo (temperature FLOAT) WITH "
            + "(TYPE=\\\"simulator\\\", FORMAT=\\\"JSON\\\")\"}";
    private static final String RULE = "{\"id\": \"r1\", \"sql\": \"SELECT temperature FROM demo WHERE "
            + "temperature > 20\", \"actions\": [{\"nop\": {}}, {\"log\": {\"sendSingle\": true}}]}";

    @TempDir
    Path dataDirectory;
    private final MaskingPool pool = new MaskingPool();
    private RuleEngine engine;
    private StreamsResource streams;
    private RulesResource rules;

    @BeforeEach
    void start() {
        engine = new RuleEngine(pool, dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.activate();
        streams = new StreamsResource(engine);
        rules = new RulesResource(engine);
    }

    @AfterEach
    void stop() {
        engine.deactivate();
    }

    private Response call(Callable<Response> method) throws Exception {
        try {
            return method.call();
        } catch (RuleException e) {
            return new RuleExceptionMapper(pool).toResponse(e);
        }
    }

    private static JsonNode json(Response response) throws Exception {
        assertEquals(MediaType.APPLICATION_JSON_TYPE, response.getMediaType());
        return MAPPER.readTree((String) response.getEntity());
    }

    private static void assertError(int status, String message, Response response) throws Exception {
        assertEquals(status, response.getStatus());
        JsonNode body = json(response);
        assertEquals(1000, body.get("error").asInt());
        assertEquals(message, body.get("message").asText());
    }

    @Test
    void streamLifecycle() throws Exception {
        Response created = call(() -> streams.create(STREAM));
        assertEquals(201, created.getStatus());
        assertEquals("Stream demo is created.", created.getEntity());
        assertEquals("[\"demo\"]", call(streams::list).getEntity());
        JsonNode described = json(call(() -> streams.get("demo")));
        assertEquals("demo", described.get("Name").asText());
        assertEquals("simulator", described.get("Options").get("type").asText());
        assertEquals("FLOAT", described.get("StreamFields").get(0).get("FieldType").asText());
        assertEquals(200, call(() -> streams.delete("demo")).getStatus());
        assertError(404, "stream demo is not found", call(() -> streams.get("demo")));
    }

    @Test
    void streamErrors() throws Exception {
        assertError(400, "syntax error at line 1, column 22: missing {QUOTED_IDENTIFIER, IDENTIFIER} at ')'", call(() -> streams.create("{\"sql\": \"CREATE STREAM demo (a) WITH ()\"}")));
        assertError(400, "source type 'kafka' is not installed; installed: simulator",
                call(() -> streams.create("{\"sql\": \"CREATE STREAM k () WITH (TYPE=\\\"kafka\\\")\"}")));
        assertError(400, "sql is required", call(() -> streams.create("{}")));
        assertError(400, "request body is empty: a JSON object is expected", call(() -> streams.create("")));
    }

    @Test
    void ruleLifecycle() throws Exception {
        call(() -> streams.create(STREAM));
        Response created = call(() -> rules.create(RULE));
        assertEquals(201, created.getStatus());
        assertEquals("Rule r1 was created successfully.", created.getEntity());
        assertEquals("[{\"id\":\"r1\",\"status\":\"running\"}]", call(rules::list).getEntity());
        JsonNode rule = json(call(() -> rules.get("r1")));
        assertTrue(rule.get("actions").get(1).get("log").get("sendSingle").asBoolean());

        JsonNode status = json(call(() -> rules.status("r1")));
        assertEquals("running", status.get("status").asText());
        assertTrue(status.has("source_demo_0_records_in_total"));
        assertTrue(status.has("sink_nop_0_records_out_total"));
        assertTrue(status.has("sink_log_1_exceptions_total"));

        assertError(409, "stream demo is used by rules r1", call(() -> streams.delete("demo")));
        assertEquals("Rule r1 was stopped.", call(() -> rules.stop("r1")).getEntity());
        assertEquals("stopped", json(call(() -> rules.status("r1"))).get("status").asText());
        assertEquals(200, call(() -> rules.start("r1")).getStatus());
        assertEquals(200, call(() -> rules.restart("r1")).getStatus());
        assertEquals(1024, rule.get("options").get("bufferLength").asInt());
        assertEquals("block", rule.get("options").get("overflow").asText());
        assertEquals(200, call(() -> rules.update("r1", "{\"sql\": \"SELECT * FROM demo\", \"actions\": "
                + "[{\"nop\": {}}], \"options\": {\"bufferLength\": 10000, \"overflow\": \"drop\"}}"))
                .getStatus());
        assertEquals("SELECT * FROM demo", json(call(() -> rules.get("r1"))).get("sql").asText());
        assertEquals(10000, json(call(() -> rules.get("r1"))).get("options").get("bufferLength").asInt());
        assertEquals("drop", json(call(() -> rules.get("r1"))).get("options").get("overflow").asText());
        assertEquals("running", json(call(() -> rules.status("r1"))).get("status").asText());
        assertEquals("Rule r1 is dropped.", call(() -> rules.delete("r1")).getEntity());
        assertError(404, "rule r1 is not found", call(() -> rules.status("r1")));
    }

    @Test
    void confKeysAreListedUpdatedAndDeletedAndFeedTheSimulator() throws Exception {
        ConfKeysResource confKeys = new ConfKeysResource(engine);
        assertEquals("{}", call(() -> confKeys.list("simulator")).getEntity());
        assertEquals(200, call(() -> confKeys.put("simulator", "fast",
                "{\"interval\": 10, \"data\": [{\"temperature\": 30}, {\"temperature\": 10}]}")).getStatus());
        assertEquals(10, json(call(() -> confKeys.list("simulator"))).get("fast").get("interval").asInt());

        call(() -> streams.create("{\"sql\": \"CREATE STREAM fastsim () WITH (TYPE=\\\"simulator\\\", "
                + "CONF_KEY=\\\"fast\\\")\"}"));
        call(() -> rules.create("{\"id\": \"r1\", \"sql\": \"SELECT * FROM fastsim WHERE temperature > 20\", "
                + "\"actions\": [{\"nop\": {}}]}"));
        long deadline = System.currentTimeMillis() + 10_000;
        while (json(call(() -> rules.status("r1"))).get("sink_nop_0_records_out_total").asLong() < 3) {
            assertTrue(System.currentTimeMillis() < deadline, "the simulator emits every 10 ms");
            Thread.sleep(10);
        }
        JsonNode status = json(call(() -> rules.status("r1")));
        assertTrue(status.get("op_select_0_records_in_total").asLong() > status.get("op_select_0_records_out_total")
                .asLong());

        assertEquals(200, call(() -> confKeys.delete("simulator", "fast")).getStatus());
        assertError(404, "conf key fast of source type simulator is not found",
                call(() -> confKeys.delete("simulator", "fast")));
        assertError(400, "source type 'kafka' is not installed; installed: simulator",
                call(() -> confKeys.list("kafka")));
        assertError(400, "connentionSelector is not supported: the prop is spelt connectionSelector",
                call(() -> confKeys.put("simulator", "typo", "{\"connentionSelector\": \"c\"}")));
    }

    @Test
    void ruleErrors() throws Exception {
        call(() -> streams.create(STREAM));
        assertError(400, "function avg is not supported", call(() -> rules.create(
                "{\"id\": \"r1\", \"sql\": \"SELECT avg(temperature) FROM demo\", \"actions\": [{\"nop\": {}}]}")));
        assertError(400, "actions must be a non-empty array of {\"<sink type>\": {props}}",
                call(() -> rules.create("{\"id\": \"r1\", \"sql\": \"SELECT * FROM demo\"}")));
        assertError(400, "rule id is required", call(() -> rules.create("{\"sql\": \"SELECT * FROM demo\"}")));
        assertError(400, "rule option qos is not supported; supported: [bufferLength, overflow]",
                call(() -> rules.create(
                "{\"id\": \"r1\", \"sql\": \"SELECT * FROM demo\", \"actions\": [{\"nop\": {}}], "
                        + "\"options\": {\"qos\": 1}}")));
        assertError(400, "bufferLength must be a whole number from 1 to 1000000, not 0", call(() -> rules.create(
                "{\"id\": \"r1\", \"sql\": \"SELECT * FROM demo\", \"actions\": [{\"nop\": {}}], "
                        + "\"options\": {\"bufferLength\": 0}}")));
        assertError(400, "overflow must be \"block\" or \"drop\", not wait", call(() -> rules.create(
                "{\"id\": \"r1\", \"sql\": \"SELECT * FROM demo\", \"actions\": [{\"nop\": {}}], "
                        + "\"options\": {\"overflow\": \"wait\"}}")));
        call(() -> rules.create(RULE));
        assertError(409, "rule r1 already exists", call(() -> rules.create(RULE)));
        assertError(404, "rule r2 is not found", call(() -> rules.start("r2")));
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheKey() throws Exception {
        Response response = call(() -> rules.create("{\"id\": \"r1\", \"id\": \"r2\", \"sql\": \"x\"}"));
        assertEquals(400, response.getStatus());
        assertTrue(json(response).get("message").asText().contains("Duplicate field 'id'"));
    }

    @Test
    void bodiesNestedDeeperThanTheLimitAreRefused() throws Exception {
        String deep = "{\"id\": \"r1\", \"options\": " + "[".repeat(900) + "]".repeat(900) + "}";
        assertError(400, "request body is nested deeper than 64 levels or has a string longer than 1048576 "
                + "characters", call(() -> rules.create(deep)));
    }

    @Test
    void newIdsFollowThePatternAndLength() throws Exception {
        call(() -> streams.create(STREAM));
        String longId = "r".repeat(1000);
        assertError(400, "rule id '" + "r".repeat(40) + "...' is invalid: use 1 to 128 letters, digits, '_' or '-'",
                call(() -> rules.create(RULE.replace("\"r1\"", "\"" + longId + "\""))));
        assertError(400, "stream name '../../x' is invalid: use 1 to 128 letters, digits, '_' or '-'",
                call(() -> streams.create("{\"sql\": \"CREATE STREAM `../../x` () WITH (TYPE=\\\"simulator\\\")\"}")));
        assertError(400, "conf key 'a.b' is invalid: use 1 to 128 letters, digits, '_' or '-'",
                call(() -> new ConfKeysResource(engine).put("simulator", "a.b", "{}")));
        assertEquals("[\"demo\"]", call(streams::list).getEntity());
    }

    @Test
    void sqlLongerThanTheLimitIsRefusedUnparsed() throws Exception {
        String sql = "CREATE STREAM big (" + "f BIGINT, ".repeat(10_000) + "g BIGINT) WITH (TYPE=\\\"simulator\\\")";
        assertError(400, "sql is longer than 65536 characters",
                call(() -> streams.create("{\"sql\": \"" + sql + "\"}")));
    }

    @Test
    void aConfKeyPropOfTheWrongTypeIsRefusedNamingTheProp() throws Exception {
        assertError(400, "invalid props of conf key slow: interval: interval must be a positive number of "
                + "milliseconds", call(() -> new ConfKeysResource(engine).put("simulator", "slow",
                        "{\"interval\": \"high\"}")));
        assertEquals("{}", call(() -> new ConfKeysResource(engine).list("simulator")).getEntity());
    }
}
