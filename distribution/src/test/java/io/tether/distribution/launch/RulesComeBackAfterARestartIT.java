package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.tether.distribution.it.Poll;
import io.tether.distribution.it.PrivateMosquitto;

/**
 * Issue 4: streams, conf keys, rules and the named connection they use are stored; after the platform is stopped
 * (SIGTERM) and started again in the same home, the rule runs again and data flows through it with no user action.
 */
public class RulesComeBackAfterARestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path home;
    private PrivateMosquitto broker;

    @Before
    public void startBroker() throws Exception {
        home = ExportedRuntime.freshHome("restart");
        broker = new PrivateMosquitto(home.resolve("broker").toFile());
    }

    @After
    public void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    public void aRunningRuleRunsAgainAfterARestartAndDataFlows() throws Exception {
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "first-start.log")) {
            created(runtime.post("/connections",
                    "{\"id\":\"plant\",\"typ\":\"mqtt\",\"props\":{\"server\":\"" + broker.url() + "\"}}"));
            ok(runtime.put("/metadata/sources/mqtt/confKeys/plant_conf", "{\"connectionSelector\":\"plant\"}"));
            created(runtime.post("/streams", "{\"sql\":\"CREATE STREAM demo () WITH (TYPE=\\\"mqtt\\\", "
                    + "DATASOURCE=\\\"in/demo\\\", CONF_KEY=\\\"plant_conf\\\")\"}"));
            created(runtime.post("/rules", "{\"id\":\"relay\",\"sql\":\"SELECT temperature FROM demo WHERE "
                    + "temperature > 20\",\"actions\":[{\"mqtt\":{\"connectionSelector\":\"plant\",\"topic\":\"out\"}}]}"));
            awaitDataFlows(runtime);
            runtime.stop();
        }

        try (ExportedRuntime runtime = ExportedRuntime.start(home, "second-start.log")) {
            Supplier<JsonNode> status = () -> status(runtime);
            Poll.until("the rule runs again", () -> "running".equals(status.get().path("status").asText()), status);
            awaitDataFlows(runtime);
            JsonNode connection = JSON.readTree(runtime.get("/connections/plant").body());
            assertEquals(connection.toString(), "connected", connection.path("status").asText());
            runtime.stop();
        }
    }

    /** Publishes until a message goes through the rule: in from its source, out through its mqtt sink. */
    private void awaitDataFlows(ExportedRuntime runtime) {
        JsonNode before = status(runtime);
        long in = before.path("source_demo_0_records_in_total").asLong();
        long out = before.path("sink_mqtt_0_records_out_total").asLong();
        Poll.until("a message published to in/demo goes through the rule", () -> {
            broker.publish("in/demo", "{\"temperature\": 25}");
            JsonNode now = status(runtime);
            return now.path("source_demo_0_records_in_total").asLong() > in
                    && now.path("sink_mqtt_0_records_out_total").asLong() > out;
        }, () -> status(runtime));
    }

    private static JsonNode status(ExportedRuntime runtime) {
        try {
            HttpResponse<String> response = runtime.get("/rules/relay/status");
            assertEquals(response.body(), 200, response.statusCode());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void created(HttpResponse<String> response) {
        assertEquals(response.body(), 201, response.statusCode());
    }

    private static void ok(HttpResponse<String> response) {
        assertEquals(response.body(), 200, response.statusCode());
    }
}
