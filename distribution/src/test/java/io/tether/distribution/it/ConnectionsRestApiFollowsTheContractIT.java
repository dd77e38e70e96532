package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.distribution.it.Rest.Response;
import io.tether.distribution.it.fake.FakeConnectorFactory;

/** SPEC §5 and §8 over real HTTP against the running JAX-RS whiteboard: the /connections API and /metrics. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionsRestApiFollowsTheContractIT {

    @Inject
    BundleContext context;

    FakeConnector fake;
    Rest rest;
    final List<ConnectionHandle> handles = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(ConnectionsRestApiFollowsTheContractIT.class);
    }

    @Before
    public void setUp() {
        fake = new FakeConnector(context);
        fake.install();
        rest = new Rest(context);
        rest.awaitReady();
        Poll.until("type fake installed", () -> Pools.await(context).installedTypes().contains("fake"));
    }

    @After
    public void tearDown() throws Exception {
        handles.forEach(ConnectionHandle::close);
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void postCreatesAConnectionAnswering201WithItsObject() {
        Response created = rest.post("/connections", json("id", "c1", "typ", "fake", "props", Map.of("host", "h1")));
        assertEquals(created.toString(), 201, created.status());
        assertTrue(created.toString(), created.isJson());
        JsonNode body = created.json();
        assertEquals("c1", body.path("id").asText());
        assertEquals("fake", body.path("typ").asText());
        assertEquals("h1", body.path("props").path("host").asText());
        assertTrue(body.path("isNamed").asBoolean());
        assertTrue(body.has("status"));
        assertEquals(0, body.path("refCount").asInt());
        Pools.awaitStatus(context, "c1", Status.CONNECTED, null);
        assertEquals("connected", rest.get("/connections/c1").json().path("status").asText());
    }

    @Test
    public void postOfAnExistingIdAnswers409() {
        assertEquals(201, rest.post("/connections", json("id", "dup", "typ", "fake", "props", Map.of())).status());
        Response again = rest.post("/connections", json("id", "dup", "typ", "fake", "props", Map.of()));
        assertError(again, 409, null);
    }

    @Test
    public void badRequestsAnswer400WithTheReason() {
        assertError(rest.post("/connections", "{\"id\": \"x\", "), 400, null);
        assertError(rest.post("/connections", json("id", "", "typ", "fake", "props", Map.of())), 400,
                "id cannot be empty");
        assertError(rest.post("/connections", json("id", "a b", "typ", "fake", "props", Map.of())), 400,
                "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed");
        Response refused = rest.post("/connections",
                json("id", "refused", "typ", "fake", "props", Map.of(FakeConnectorFactory.REFUSED_PROP, "yes")));
        assertError(refused, 400, null);
        String message = refused.json().path("message").asText();
        assertTrue(message, message.contains(FakeConnectorFactory.REFUSED_PROP));
        assertTrue(message, message.contains(FakeConnectorFactory.REFUSED_MESSAGE));
        assertEquals(404, rest.get("/connections/refused").status());
    }

    @Test
    public void postOfATypeThatIsNotInstalledAnswers400NamingTheInstalledTypes() {
        Response response = rest.post("/connections", json("id", "nope", "typ", "nosuch", "props", Map.of()));
        assertError(response, 400, null);
        String message = response.json().path("message").asText();
        assertTrue(message, message.contains("nosuch"));
        assertTrue("names the installed types: " + message, message.contains("fake"));
    }

    @Test
    public void listIsSortedAndShowsAnonymousConnectionsOnlyWithForceAll() {
        for (String id : List.of("b2", "a1", "c3")) {
            assertEquals(201, rest.post("/connections", json("id", id, "typ", "fake", "props", Map.of())).status());
        }
        ConnectionPool pool = Pools.await(context);
        handles.add(pool.attach("rule9", "rule9/anonymous-key", "fake", Map.of("host", "anon"), new StatusRecorder()));

        Response named = rest.get("/connections");
        assertEquals(200, named.status());
        assertEquals(List.of("a1", "b2", "c3"), ids(named.json()));

        Response all = rest.get("/connections?forceAll=true");
        assertEquals(200, all.status());
        List<String> allIds = ids(all.json());
        assertEquals(4, allIds.size());
        assertTrue(allIds.containsAll(List.of("a1", "b2", "c3")));
        List<String> sorted = new ArrayList<>(allIds);
        sorted.sort(null);
        assertEquals(sorted, allIds);
        JsonNode anonymous = null;
        for (JsonNode c : all.json()) {
            if (!List.of("a1", "b2", "c3").contains(c.path("id").asText())) {
                anonymous = c;
            }
        }
        assertFalse(anonymous.path("isNamed").asBoolean());
        assertEquals(1, anonymous.path("refCount").asInt());
    }

    @Test
    public void getAnswersTheObjectOr404() {
        assertEquals(201, rest.post("/connections", json("id", "g1", "typ", "fake", "props", Map.of())).status());
        Response found = rest.get("/connections/g1");
        assertEquals(200, found.status());
        assertEquals("g1", found.json().path("id").asText());
        assertError(rest.get("/connections/x"), 404, "connection x not existed");
    }

    @Test
    public void putReplacesThePropsAndThePathIdWins() {
        assertEquals(201, rest.post("/connections", json("id", "p1", "typ", "fake", "props", Map.of("v", 1))).status());
        Response updated = rest.put("/connections/p1", json("id", "other", "typ", "fake", "props", Map.of("v", 2)));
        assertEquals(updated.toString(), 200, updated.status());
        assertEquals("p1", updated.json().path("id").asText());
        assertEquals(2, updated.json().path("props").path("v").asInt());
        assertEquals(404, rest.get("/connections/other").status());
        Pools.awaitStatus(context, "p1", Status.CONNECTED, null);
        assertError(rest.put("/connections/unknown", json("typ", "fake", "props", Map.of())), 404, null);
    }

    @Test
    public void secretsAreMaskedAndAMaskSentBackKeepsTheStoredSecret() {
        Response created = rest.post("/connections",
                json("id", "s1", "typ", "fake", "props", Map.of("user", "u", "password", "hunter2")));
        assertEquals(201, created.status());
        assertEquals("******", created.json().path("props").path("password").asText());
        assertFalse(created.body().contains("hunter2"));
        assertEquals("******", rest.get("/connections/s1").json().path("props").path("password").asText());
        assertFalse(rest.get("/connections").body().contains("hunter2"));

        Response updated = rest.put("/connections/s1",
                json("typ", "fake", "props", Map.of("user", "u2", "password", "******")));
        assertEquals(200, updated.status());
        assertEquals("******", updated.json().path("props").path("password").asText());
        // the update recreates the instance: the connector gets the stored secret, not the mask
        Poll.until("the connection is recreated with user u2 and the stored password",
                () -> "u2".equals(fake.lastProps().get("user")), fake::lastProps);
        assertEquals("hunter2", fake.lastProps().get("password"));
    }

    @Test
    public void deleteAnswers200AlsoForAnUnknownIdAnd409WhileReferenced() {
        assertEquals(201, rest.post("/connections", json("id", "d1", "typ", "fake", "props", Map.of())).status());
        assertEquals(200, rest.delete("/connections/d1").status());
        assertEquals(404, rest.get("/connections/d1").status());
        assertEquals(200, rest.delete("/connections/never-was").status());

        assertEquals(201, rest.post("/connections", json("id", "d2", "typ", "fake", "props", Map.of())).status());
        ConnectionPool pool = Pools.await(context);
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "d2");
        ConnectionHandle r1 = pool.attach("r1", "r1/k", "fake", selector, new StatusRecorder());
        ConnectionHandle r2 = pool.attach("r2", "r2/k", "fake", selector, new StatusRecorder());
        handles.add(r1);
        handles.add(r2);
        assertError(rest.delete("/connections/d2"), 409, "connection d2 can't be dropped due to rule references [r1 r2]");
        r1.close();
        r2.close();
        assertEquals(200, rest.delete("/connections/d2").status());
    }

    @Test
    public void metricsCarryTheStatusGaugeOfEachNamedConnectionUntilItIsDeleted() {
        assertEquals(201, rest.post("/connections", json("id", "m1", "typ", "fake", "props", Map.of())).status());
        Pools.awaitStatus(context, "m1", Status.CONNECTED, null);
        Poll.until("the gauge of m1 is 1", () -> gauge("m1") != null && gauge("m1") == 1.0,
                () -> rest.get("/metrics").body());
        assertEquals(200, rest.delete("/connections/m1").status());
        Poll.until("the gauge of m1 is gone", () -> gauge("m1") == null, () -> rest.get("/metrics").body());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Double gauge(String id) {
        Response metrics = rest.get("/metrics");
        assertEquals(200, metrics.status());
        String prefix = "kuiper_conn_status_gauge{name=\"" + id + "\"} ";
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.valueOf(line.substring(prefix.length()).trim().split(" ")[0]);
            }
        }
        return null;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    private static void assertError(Response response, int status, String message) {
        assertEquals(response.toString(), status, response.status());
        assertTrue("JSON error body: " + response, response.isJson());
        JsonNode body = response.json();
        assertTrue("error code: " + response, body.path("error").isInt());
        assertTrue("message: " + response, body.path("message").isTextual());
        if (message != null) {
            assertEquals(message, body.path("message").asText());
        }
    }
}
