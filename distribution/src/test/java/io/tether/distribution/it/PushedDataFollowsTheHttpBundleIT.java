package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
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
import org.osgi.framework.ServiceReference;

import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;

/**
 * Issue 10 (points 1, 2, 6): data pushed over HTTP to the data server reaches a running rule, answered 200 once the
 * rule took it; the data server is not the management API (which answers 404 there); uninstalling conn.http takes
 * its endpoints away (404, the rule's source {@code connector type 'httppush' is not installed}) and leaves other
 * bundles' endpoints alone; reinstalling it brings the endpoint and the data flow back, with the rule running
 * throughout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PushedDataFollowsTheHttpBundleIT {

    static final String NOT_INSTALLED = "connector type 'httppush' is not installed";

    @Inject
    BundleContext context;

    Rest rest;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** An endpoint of the test's own, so that the listener stays up (and answers 404) while conn.http is away. */
    Registration probe;
    URI data;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(PushedDataFollowsTheHttpBundleIT.class, TetherRuntime.RULES,
                TetherRuntime.DATA_SERVER, TetherRuntime.HTTP);
    }

    @Before
    public void registerProbe() throws Exception {
        rest = new Rest(context);
        rest.awaitReady();
        ServiceReference<DataServer> reference = context.getServiceReference(DataServer.class);
        DataServer server = context.getService(reference);
        probe = server.httpEndpoint("/probe", "GET", request -> EndpointResponse.text(200, "probe"));
        data = server.baseUri();
        assertEquals("the data server listens on the test's loopback port",
                "http://127.0.0.1:" + context.getProperty(TetherRuntime.DATA_PORT), data.toString());
    }

    @After
    public void closeProbe() {
        probe.close();
    }

    @Test
    public void theManagementApiIsNotServedOnTheDataPort() throws Exception {
        assertEquals(200, rest.get("/connections").status());
        for (String path : List.of("/connections", "/rules", "/streams", "/metrics", "/cxf", "/", "/ping")) {
            assertEquals(path + " on the data port", 404, send("GET", path, "").statusCode());
        }
        assertEquals(200, send("GET", "/probe", "").statusCode());
    }

    @Test
    public void pushedDataReachesARuleAndFollowsUninstallAndReinstallOfTheHttpBundle() throws Exception {
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM pushed () WITH (TYPE=\"httppush\", "
                + "DATASOURCE=\"/ingest\", FORMAT=\"json\")")));
        created(rest.post("/rules", Rest.json("id", "ingest", "sql", "SELECT * FROM pushed",
                "actions", List.of(Map.of("nop", Map.of())))));
        awaitDataFlows();
        HttpResponse<String> undecodable = send("POST", "/ingest", "not json");
        assertEquals(400, undecodable.statusCode());
        assertTrue(undecodable.body(), undecodable.body().startsWith("Fail to decode data: "));
        assertEquals(405, send("PUT", "/ingest", "{}").statusCode());

        Bundle http = bundle("tether.conn.http");
        String location = http.getLocation();
        http.uninstall();
        Poll.until("the endpoint is gone", () -> send("POST", "/ingest", "{\"t\":1}").statusCode() == 404);
        Poll.until("the rule's source reports that httppush is not installed", () -> {
            JsonNode status = status();
            return status.path("source_pushed_0_connection_status").asInt() == -1 && NOT_INSTALLED.equals(
                    status.path("source_pushed_0_connection_last_disconnected_message").asText());
        }, this::status);
        assertEquals("running", status().path("status").asText());
        assertEquals("another bundle's endpoint stays", 200, send("GET", "/probe", "").statusCode());

        context.installBundle(location).start();
        awaitDataFlows();
        assertEquals("running", status().path("status").asText());
        ok(rest.delete("/rules/ingest"));
        Poll.until("the endpoint goes with the rule", () -> send("POST", "/ingest", "{}").statusCode() == 404);
        ok(rest.delete("/streams/pushed"));
    }

    /** Posts until a request is answered 200 and counted in and out by the rule (its endpoint registers shortly). */
    private void awaitDataFlows() {
        long out = status().path("sink_nop_0_records_out_total").asLong();
        Poll.until("a pushed record goes through the rule", () -> {
            int answer = send("POST", "/ingest", "{\"temperature\": 21}").statusCode();
            return answer == 200 && status().path("sink_nop_0_records_out_total").asLong() > out;
        }, this::status);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            return client.send(HttpRequest.newBuilder(data.resolve(path)).timeout(Duration.ofSeconds(10))
                    .method(method, body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                    .build(), BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " on the data port failed: " + e, e);
        }
    }

    private JsonNode status() {
        Rest.Response response = rest.get("/rules/ingest/status");
        assertEquals(response.toString(), 200, response.status());
        return response.json();
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
