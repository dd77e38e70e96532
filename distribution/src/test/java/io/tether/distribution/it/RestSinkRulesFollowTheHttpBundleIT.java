package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * Issue 10, point 6, for the {@code http} type: rules whose rest sinks post to a local server, one over a named
 * {@code http} connection and one over an anonymous one, and a rule that polls the server with an httppull source,
 * keep running while conn.http is uninstalled (the connections
 * parked with {@code connector type 'http' is not installed}, the sinks disconnected) and post again once it is
 * reinstalled, with no user action. A rest sink with {@code enableCache} keeps what a server answered with a 5xx
 * and resends it, in order, once the server accepts again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestSinkRulesFollowTheHttpBundleIT {

    static final String NOT_INSTALLED = "connector type 'http' is not installed";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BundleContext context;

    HttpPeer server;
    Rest rest;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RestSinkRulesFollowTheHttpBundleIT.class, TetherRuntime.RULES,
                TetherRuntime.HTTP);
    }

    @Before
    public void start() throws Exception {
        server = new HttpPeer();
        rest = new Rest(context);
        rest.awaitReady();
        ok(rest.put("/metadata/sources/simulator/confKeys/fast", Rest.json("interval", 100)));
        if (rest.get("/streams/ticks").status() != 200) {
            created(rest.post("/streams", Rest.json("sql",
                    "CREATE STREAM ticks () WITH (TYPE=\"simulator\", CONF_KEY=\"fast\")")));
        }
    }

    @After
    public void stop() throws Exception {
        for (JsonNode rule : rest.get("/rules").json()) {
            rest.delete("/rules/" + rule.path("id").asText());
        }
        server.close();
    }

    @Test
    public void rulesWithRestSinksOutliveUninstallAndReinstallOfTheHttpConnector() throws Exception {
        created(rest.post("/connections", Rest.json("id", "api", "typ", "http", "props", Map.of("url",
                server.url() + "/named", "headers", Map.of("Authorization", "Bearer it-s3cret")))));
        created(rest.post("/rules", Rest.json("id", "onNamed", "sql", "SELECT * FROM ticks", "actions",
                List.of(Map.of("rest", Map.of("connectionSelector", "api", "url", "/in", "method", "post"))))));
        created(rest.post("/rules", Rest.json("id", "onAnonymous", "sql", "SELECT * FROM ticks", "actions",
                List.of(Map.of("rest", Map.of("url", server.url() + "/anonymous", "method", "post"))))));
        server.serve("/poll", "{\"temperature\": 21}");
        ok(rest.put("/metadata/sources/httppull/confKeys/poll_conf", Rest.json("url", server.url(), "interval", 100)));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM pulled () WITH (TYPE=\"httppull\", "
                + "DATASOURCE=\"/poll\", CONF_KEY=\"poll_conf\", FORMAT=\"JSON\")")));
        created(rest.post("/rules", Rest.json("id", "pullToRest", "sql", "SELECT temperature FROM pulled", "actions",
                List.of(Map.of("rest", Map.of("url", server.url() + "/pulled", "method", "post"))))));
        awaitPosts("/named/in");
        awaitPosts("/anonymous");
        awaitPosts("/pulled");

        Bundle http = bundle(TetherRuntime.HTTP);
        String location = http.getLocation();
        http.uninstall();
        Poll.until("the named connection is parked", () -> NOT_INSTALLED.equals(connection("api").path("err").asText())
                && connection("api").path("status").asText().equals("disconnected"), () -> connection("api"));
        Poll.until("the httppull source is disconnected as its type is gone",
                () -> status("pullToRest").path("source_pulled_0_connection_status").asInt() == -1,
                () -> status("pullToRest"));
        for (String rule : List.of("onNamed", "onAnonymous", "pullToRest")) {
            Poll.until(rule + "'s sink is disconnected as its type is gone",
                    () -> status(rule).path("sink_rest_0_connection_status").asInt() == -1
                            && "connector type 'rest' is not installed".equals(status(rule)
                                    .path("sink_rest_0_connection_last_disconnected_message").asText()),
                    () -> status(rule));
            assertEquals(rule + ": " + status(rule), "running", status(rule).path("status").asText());
        }

        context.installBundle(location).start();
        awaitPosts("/named/in");
        awaitPosts("/anonymous");
        awaitPosts("/pulled");
        for (String rule : List.of("onNamed", "onAnonymous", "pullToRest")) {
            assertEquals(rule + ": " + status(rule), "running", status(rule).path("status").asText());
        }
        ok(rest.delete("/rules/onNamed"));
        ok(rest.delete("/connections/api"));
        ok(rest.delete("/rules/pullToRest"));
        ok(rest.delete("/streams/pulled"));
    }

    @Test
    public void aCachedRestSinkResendsWhatTheServerAnsweredWithA5xx() throws Exception {
        server.answer("/cached", 503);
        created(rest.post("/rules", Rest.json("id", "cached", "sql", "SELECT id FROM ticks", "actions",
                List.of(Map.of("rest", Map.of("url", server.url() + "/cached", "method", "post",
                        "sendSingle", true, "enableCache", true))))));
        Poll.until("the server refused several records",
                () -> server.received("/cached").size() >= 5 && status("cached").path("sink_rest_0_exceptions_total")
                        .asLong() > 0, () -> status("cached"));
        server.answer("/cached", 200);
        Poll.until("every record, those refused included, reaches the server", () -> {
            Set<Long> accepted = acceptedIds();
            return accepted.size() > 20 && accepted.containsAll(LongStream.range(0, 20).boxed().toList());
        }, () -> acceptedIds() + " " + status("cached"));
        List<Long> order = accepted().stream().distinct().toList();
        assertTrue("resent in order: " + order, isSorted(order));
    }

    /** The ids of the records the server accepted. */
    private Set<Long> acceptedIds() {
        return accepted().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Long> accepted() {
        return server.received("/cached").stream().filter(request -> request.status() == 200)
                .map(RestSinkRulesFollowTheHttpBundleIT::id).toList();
    }

    private static boolean isSorted(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) < ids.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static long id(HttpPeer.Request request) {
        try {
            return JSON.readTree(request.body()).path("id").asLong();
        } catch (Exception e) {
            throw new AssertionError(request.body(), e);
        }
    }

    private void awaitPosts(String path) {
        int before = server.received(path).size();
        Poll.until("the server receives posts on " + path, () -> server.received(path).size() > before + 2,
                () -> server.received(path).size() + " posts; " + rest.get("/rules").body());
    }

    private JsonNode connection(String id) {
        return rest.get("/connections/" + id).json();
    }

    private JsonNode status(String rule) {
        Rest.Response response = rest.get("/rules/" + rule + "/status");
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
