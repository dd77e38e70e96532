package io.tether.conn.http.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;
import io.tether.api.io.RawMessage;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestDataServer;
import io.tether.testkit.TestPool;

class HttpPushSourceTest {
    private static final String TYPE = HttpPushConnectorFactory.TYPE;
    private final HttpClient client = HttpClient.newHttpClient();
    private final TestDataServer server = TestDataServer.withMaxBody(1000);
    private final PushSources attached = new PushSources();
    private final HttpPushConnectorFactory factory = new HttpPushConnectorFactory(server, attached);
    private final HttpPushSourceProvider sources = new HttpPushSourceProvider(attached);
    private final TestPool pool = TestPool.create().addType(TYPE, factory,
            HttpPushSourceTest.class.getResource("/OSGI-INF/tether/schema/httppush.json"));

    /** Keeps the listener up when the endpoints under test go, so that they answer 404 rather than refuse. */
    private Registration keepListening;

    @BeforeEach
    void keepListening() throws Exception {
        keepListening = server.httpEndpoint("/keep", "GET", request -> EndpointResponse.text(200, "kept"));
    }

    @AfterEach
    void stop() {
        pool.close();
        keepListening.close();
        server.close();
    }

    @Test
    void aPushedBodyReachesTheRuleWithMethodPathAndHeadersAsMetadata() throws Exception {
        RecordingSourceContext rule = open("r1", "/devices", Map.of());
        HttpResponse<String> response = post("/devices?site=7", "{\"t\":21}", "X-Device", "d1");
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
        RawMessage message = rule.messages.poll();
        assertEquals("{\"t\":21}", new String(message.payload(), StandardCharsets.UTF_8));
        assertEquals("POST", message.meta().get("method"));
        assertEquals("/devices", message.meta().get("path"));
        assertEquals("site=7", message.meta().get("query"));
        assertEquals("d1", ((Map<?, ?>) message.meta().get("headers")).get("x-device"));
    }

    @Test
    void everyRuleOnAnEndpointReceivesEveryRequest() throws Exception {
        RecordingSourceContext first = open("r1", "/shared", Map.of());
        RecordingSourceContext second = open("r2", "/shared", Map.of());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/shared", "{\"i\":" + i + "}").statusCode());
        }
        assertEquals(List.of("{\"i\":0}", "{\"i\":1}", "{\"i\":2}"), first.drain());
        assertEquals(List.of("{\"i\":0}", "{\"i\":1}", "{\"i\":2}"), second.drain());
        assertEquals(1, pool.list(true).size(), "one connection (one registration) for the endpoint");
    }

    @Test
    void aRuleWithoutRoomMakesTheRequest503WithRetryAfterAndNoRuleReceivesIt() throws Exception {
        RecordingSourceContext roomy = open("r1", "/busy", Map.of("timeout", 200));
        RecordingSourceContext full = open("r2", "/busy", Map.of("timeout", 200), 1);
        assertEquals(200, post("/busy", "{\"n\":1}").statusCode());
        assertEquals(List.of("{\"n\":1}"), roomy.drain());

        HttpResponse<String> busy = post("/busy", "{\"n\":2}");
        assertEquals(503, busy.statusCode());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        assertTrue(busy.body().startsWith("rule r2 had no room for the data within 200 ms"), busy.body());
        assertEquals(List.of(), roomy.drain(), "the rule with room did not get it either");

        assertEquals(List.of("{\"n\":1}"), full.drain());
        assertEquals(200, post("/busy", "{\"n\":2}").statusCode(), "the client's retry");
        assertEquals(List.of("{\"n\":2}"), roomy.drain(), "once, no duplicate");
        assertEquals(List.of("{\"n\":2}"), full.drain());
    }

    @Test
    void anUndecodableBodyIs400AndReachesNoRule() throws Exception {
        RecordingSourceContext json = open("r1", "/decode", Map.of());
        RecordingSourceContext picky = open("r2", "/decode", Map.of());
        picky.decoding(payload -> {
            if (payload.length == 0 || payload[0] != '{') {
                throw new IllegalArgumentException("invalid JSON payload: Unrecognized token 'nope'");
            }
        });
        HttpResponse<String> refused = post("/decode", "nope");
        assertEquals(400, refused.statusCode());
        assertEquals("Fail to decode data: invalid JSON payload: Unrecognized token 'nope'", refused.body());
        assertEquals(List.of(), json.drain());
        assertEquals(List.of(), picky.drain());
    }

    @Test
    void unknownPathsWrongMethodsAndLargeBodiesAreRefused() throws Exception {
        open("r1", "/in", Map.of("method", "PUT"));
        assertEquals(404, post("/other", "{}").statusCode());
        assertEquals(405, post("/in", "{}").statusCode(), "POST on a PUT endpoint");
        assertEquals(200, send("PUT", "/in", "{}").statusCode());
        assertEquals(413, send("PUT", "/in", "{\"x\":\"" + "a".repeat(1000) + "\"}").statusCode());
    }

    @Test
    void anAnonymousEndpointIsUnregisteredWithItsLastSource() throws Exception {
        RecordingSourceContext first = open("r1", "/transient", Map.of());
        RecordingSourceContext second = open("r2", "/transient", Map.of());
        first.close();
        assertEquals(200, post("/transient", "{}").statusCode(), "the endpoint stays for the other source");
        second.close();
        Poll.until("the anonymous connection is gone", () -> pool.list(true).isEmpty(), () -> pool.list(true));
        assertEquals(404, post("/transient", "{}").statusCode());
    }

    @Test
    void theListenerStopsWithTheLastEndpoint() throws Exception {
        RecordingSourceContext rule = open("r1", "/only", Map.of());
        URI endpoint = URI.create(server.baseUri() + "/only");
        keepListening.close();
        assertEquals(200, post("/only", "{}").statusCode());
        rule.close();
        Poll.until("the listener stopped", () -> {
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint).POST(BodyPublishers.ofString("{}"))
                        .build(), BodyHandlers.discarding());
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (Exception other) {
                return false;
            }
        });
        keepListening();
    }

    @Test
    void aNamedConnectionKeepsItsEndpointAndItsReferencesGoBackToZero() throws Exception {
        pool.create("push1", TYPE, Map.of("endpoint", "/named", "method", "PUT"));
        pool.awaitStatus("push1", Status.CONNECTED);
        HttpResponse<String> alone = send("PUT", "/named", "{}");
        assertEquals(503, alone.statusCode());
        assertEquals("no rule is attached", alone.body());

        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "push1");
        RecordingSourceContext first = open("r1", "", selector);
        RecordingSourceContext second = open("r2", "", selector);
        assertEquals(List.of("r1", "r2"), pool.info("push1").status().refs());
        assertEquals(200, send("PUT", "/named", "{\"v\":1}").statusCode());
        assertEquals(List.of("{\"v\":1}"), first.drain());
        assertEquals(List.of("{\"v\":1}"), second.drain());

        first.close();
        second.close();
        assertEquals(0, pool.info("push1").status().refCount());
        assertEquals(503, send("PUT", "/named", "{}").statusCode(), "the endpoint stays while the connection exists");
        pool.delete("push1");
        assertEquals(404, send("PUT", "/named", "{}").statusCode());
    }

    @Test
    void aRemovedTypeUnregistersItsEndpointsAndItsReturnRestoresThem() throws Exception {
        RecordingSourceContext rule = open("r1", "/typed", Map.of());
        pool.removeType(TYPE);
        Poll.until("the endpoint is gone", () -> status("/typed") == 404);
        pool.addType(TYPE, factory);
        Poll.until("the endpoint is back", () -> status("/typed") == 200);
        assertTrue(rule.drain().contains("{}"), "data flows to the source again");
    }

    @Test
    void propsAreCheckedWithTheirReasons() {
        assertEquals(List.of(new PropError("endpoint", "property endpoint must start with /")),
                factory.validate(Map.of("endpoint", "devices")));
        assertEquals(List.of(new PropError("method", "method GET is not supported, must be POST or PUT")),
                factory.validate(Map.of("endpoint", "/devices", "method", "GET")));
        assertEquals(List.of(new PropError("endpoint", "missing endpoint property")), factory.validate(Map.of()));
        assertEquals(List.of(new PropError("endpoint", "property endpoint must start with /")),
                sources.validate("devices", Map.of()));
        assertEquals(List.of(), sources.validate("", Map.of(ConnectionPool.CONNECTION_SELECTOR, "push1")));
        ConnectionPoolException refused = org.junit.jupiter.api.Assertions.assertThrows(
                ConnectionPoolException.class, () -> pool.create("bad", TYPE, Map.of("endpoint", "/x",
                        "method", "DELETE")));
        assertTrue(refused.getMessage().contains("method DELETE is not supported, must be POST or PUT"),
                refused.getMessage());
        assertTrue(pool.list(true).isEmpty(), "nothing half-registered");
        assertNull(server.baseUri().getQuery());
    }

    private RecordingSourceContext open(String rule, String datasource, Map<String, Object> props) throws Exception {
        return open(rule, datasource, props, 0);
    }

    private RecordingSourceContext open(String rule, String datasource, Map<String, Object> props, int capacity)
            throws Exception {
        RecordingSourceContext context = new RecordingSourceContext(pool, rule, "source_push", capacity)
                .open(sources.create(datasource, new HashMap<>(props)));
        Poll.until(rule + "'s connection is connected", () -> context.states().contains(Status.CONNECTED),
                context::states);
        return context;
    }

    private int status(String path) {
        try {
            return post(path, "{}").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .timeout(Duration.ofSeconds(10)).method(method, BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }
}
