package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Issue 10, point 6: a rule reading from a WebSocket server (client mode, over a named connection) and writing back
 * to it (an anonymous one) outlives an uninstall of conn.websocket: it stays {@code running} with its source and
 * sink {@code disconnected} ({@code connector type 'websocket' is not installed}), and once the bundle is installed
 * again, frames flow through it with no user action.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesFollowTheWebSocketBundleIT {

    static final String NOT_INSTALLED = "connector type 'websocket' is not installed";

    @Inject
    BundleContext context;

    WebSocketTestServer server;
    Rest rest;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RulesFollowTheWebSocketBundleIT.class, TetherRuntime.RULES,
                TetherRuntime.WEBSOCKET);
    }

    @Before
    public void startServer() throws Exception {
        server = new WebSocketTestServer();
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void stopServer() {
        server.close();
    }

    @Test
    public void aRuleOnWebSocketConnectionsOutlivesUninstallAndReinstallOfTheConnector() throws Exception {
        created(rest.post("/connections", Rest.json("id", "device", "typ", "websocket",
                "props", Map.of("addr", server.addr(), "path", "/in"))));
        ok(rest.put("/metadata/sources/websocket/confKeys/device_conf", Rest.json("connectionSelector", "device")));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM wsin () WITH (TYPE=\"websocket\", "
                + "DATASOURCE=\"/in\", CONF_KEY=\"device_conf\")")));
        created(rest.post("/rules", Rest.json("id", "relay", "sql", "SELECT temperature FROM wsin",
                "actions", List.of(Map.of("websocket", Map.of("addr", server.addr(), "path", "/out"))))));
        awaitDataFlows("before");

        Bundle connector = bundle(TetherRuntime.WEBSOCKET);
        String location = connector.getLocation();
        connector.uninstall();
        Poll.until("the rule's source and sink report that websocket is not installed", () -> {
            JsonNode status = status();
            return status.path("source_wsin_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.equals(status.path("source_wsin_0_connection_last_disconnected_message").asText())
                    && status.path("sink_websocket_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.equals(status.path("sink_websocket_0_connection_last_disconnected_message")
                            .asText());
        }, this::status);
        assertRunning();
        JsonNode device = rest.get("/connections/device").json();
        assertEquals(device.toString(), NOT_INSTALLED, device.path("err").asText());

        context.installBundle(location).start();
        awaitDataFlows("after");
        assertRunning();
        ok(rest.delete("/rules/relay"));
        ok(rest.delete("/streams/wsin"));
    }

    /** Sends frames from the server until one comes back through the rule. */
    private void awaitDataFlows(String marker) {
        server.received.clear();
        Poll.until("a frame of the server comes back through the rule (" + marker + ")", () -> {
            server.broadcast("{\"temperature\": 21, \"marker\": \"" + marker + "\"}");
            return server.received.stream().anyMatch(text -> text.contains("\"temperature\":21"));
        }, this::status);
    }

    private JsonNode status() {
        Rest.Response response = rest.get("/rules/relay/status");
        assertEquals(response.toString(), 200, response.status());
        return response.json();
    }

    private void assertRunning() {
        assertEquals("running", status().path("status").asText());
    }

    private static void created(Rest.Response response) {
        assertEquals(response.toString(), 201, response.status());
    }

    private static void ok(Rest.Response response) {
        assertEquals(response.toString(), 200, response.status());
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
