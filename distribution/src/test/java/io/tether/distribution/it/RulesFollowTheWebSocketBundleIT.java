package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

import io.tether.testkit.WebSocketTestServer;

/**
 * Issue 10, point 6: rules on websocket connections outlive an uninstall of conn.websocket: they stay
 * {@code running} with their sources and sinks {@code disconnected} ({@code connector type 'websocket' is not
 * installed}), server-mode endpoints are gone from the data server (their clients closed normally), and once the
 * bundle is installed again the endpoints are back and frames flow through the rules with no user action. One rule
 * reads from a WebSocket server and writes back to it (client mode, over a named and an anonymous connection); one
 * serves endpoints on the data server (server mode).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesFollowTheWebSocketBundleIT {

    static final String NOT_INSTALLED = "connector type 'websocket' is not installed";

    @Inject
    BundleContext context;

    WebSocketTestServer server;
    Rest rest;
    HttpClient http = HttpClient.newHttpClient();

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RulesFollowTheWebSocketBundleIT.class, TetherRuntime.RULES,
                TetherRuntime.DATA_SERVER, TetherRuntime.WEBSOCKET);
    }

    @Before
    public void startServer() throws Exception {
        server = WebSocketTestServer.start(TetherRuntime.freePort());
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

    @Test
    public void serverModeEndpointsFollowUninstallAndReinstallOfTheConnector() throws Exception {
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM wspush () WITH (TYPE=\"websocket\", "
                + "DATASOURCE=\"/push\")")));
        created(rest.post("/rules", Rest.json("id", "serving", "sql", "SELECT temperature FROM wspush",
                "actions", List.of(Map.of("websocket", Map.of("path", "/results"))))));
        Client results = awaitClient("/results");
        Client push = awaitClient("/push");
        awaitServedFlow(push, results);

        Bundle connector = bundle(TetherRuntime.WEBSOCKET);
        String location = connector.getLocation();
        connector.uninstall();
        assertEquals("the sink's endpoint closes its clients normally", 1000,
                (int) results.closed.get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(1000, (int) push.closed.get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue("the endpoint is gone", connect("/push") == null);
        Poll.until("the rule's source and sink report that websocket is not installed", () -> {
            JsonNode status = status("serving");
            return NOT_INSTALLED.equals(status.path("source_wspush_0_connection_last_disconnected_message").asText())
                    && NOT_INSTALLED.equals(status.path("sink_websocket_0_connection_last_disconnected_message")
                            .asText());
        }, () -> status("serving"));
        assertEquals("running", status("serving").path("status").asText());

        context.installBundle(location).start();
        awaitServedFlow(awaitClient("/push"), awaitClient("/results"));
        ok(rest.delete("/rules/serving"));
        ok(rest.delete("/streams/wspush"));
        Poll.until("the endpoints go with the rule", () -> connect("/push") == null && connect("/results") == null);
    }

    /** Sends frames to the rule's source endpoint until one comes out of its sink's endpoint. */
    private void awaitServedFlow(Client push, Client results) {
        Poll.until("a frame sent to /push comes out of /results", () -> {
            push.socket.sendText("{\"temperature\": 22}", true);
            String text;
            while ((text = results.texts.poll()) != null) {
                if (text.contains("\"temperature\":22")) {
                    return true;
                }
            }
            return false;
        }, () -> status("serving"));
    }

    private Client awaitClient(String path) {
        return Poll.await("a client of " + path, Poll.PATIENCE, () -> connect(path), () -> status("serving"));
    }

    /** A client of the data server's endpoint, or null when it is not served. */
    private Client connect(String path) {
        Client client = new Client();
        URI uri = URI.create("ws://127.0.0.1:" + context.getProperty(TetherRuntime.DATA_PORT) + path);
        try {
            client.socket = http.newWebSocketBuilder().buildAsync(uri, client).get(5, TimeUnit.SECONDS);
            return client;
        } catch (Exception notServed) {
            return null;
        }
    }

    /** A JDK WebSocket client that records what it receives. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** Sends frames from the server until one comes back through the rule. */
    private void awaitDataFlows(String marker) {
        server.received().clear();
        Poll.until("a frame of the server comes back through the rule (" + marker + ")", () -> {
            server.broadcast("{\"temperature\": 21, \"marker\": \"" + marker + "\"}");
            return server.received().stream().anyMatch(text -> text.contains("\"temperature\":21"));
        }, this::status);
    }

    private JsonNode status() {
        return status("relay");
    }

    private JsonNode status(String rule) {
        Rest.Response response = rest.get("/rules/" + rule + "/status");
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
