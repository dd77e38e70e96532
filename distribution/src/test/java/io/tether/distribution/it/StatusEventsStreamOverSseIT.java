package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * Issue 13, points 1 and 6: {@code GET /events} streams a snapshot, then one event per status change, create and
 * delete of any connection; a client resumes with {@code Last-Event-ID}; an idle stream gets heartbeat comments; a
 * client that stops reading is dropped without holding up the pool. {@code GET /ping} and {@code GET /} answer as
 * eKuiper's do.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StatusEventsStreamOverSseIT {

    private static final long HEARTBEAT_MILLIS = 300;
    private static final int MAX_QUEUED_EVENTS = 1024;

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    FakeConnector fake;
    Rest rest;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(StatusEventsStreamOverSseIT.class, TetherRuntime.HTTP_EDGE);
    }

    @Before
    public void setUp() throws IOException {
        org.osgi.service.cm.Configuration events = configurationAdmin.getConfiguration("io.tether.events", "?");
        if (events.getProperties() == null) {
            Dictionary<String, Object> settings = new Hashtable<>();
            settings.put("heartbeatMillis", HEARTBEAT_MILLIS);
            settings.put("maxQueuedEvents", MAX_QUEUED_EVENTS);
            events.update(settings);
        }
        fake = new FakeConnector(context);
        fake.install();
        rest = new Rest(context);
        rest.awaitReady();
        Poll.until("the events stream runs with the test's heartbeat", this::heartbeatWithinASecond);
    }

    @After
    public void tearDown() throws Exception {
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void aClientGetsASnapshotThenEachStatusChangeCreateAndDelete() {
        rest.post("/connections", json("id", "before", "typ", "fake", "props", Map.of()));
        Pools.awaitStatus(context, "before", Status.CONNECTED, null);
        try (SseClient client = SseClient.open(rest.base())) {
            assertEquals(200, client.status());
            assertTrue(client.contentType(), client.contentType().startsWith("text/event-stream"));
            SseClient.Event snapshot = client.next();
            assertEquals("snapshot", snapshot.name());
            JsonNode before = find(snapshot.json(), "before");
            assertEquals("connected", before.path("status").asText());
            assertEquals("fake", before.path("typ").asText());

            assertEquals(201, rest.post("/connections", json("id", "ev1", "typ", "fake", "props", Map.of())).status());
            SseClient.Event connected = client.await("ev1 connected", e -> isStatus(e, "ev1", "connected"));
            long generation = connected.json().path("generation").asLong();
            assertTrue(connected.json().path("at").asLong() > 0);
            assertEquals("", connected.json().path("err").asText());

            assertEquals(200, rest.put("/connections/ev1", json("typ", "fake", "props", Map.of("x", 1))).status());
            SseClient.Event reconnected = client.await("ev1 connected again", e -> isStatus(e, "ev1", "connected")
                    && e.json().path("generation").asLong() > generation);
            assertTrue(Long.parseLong(reconnected.id()) > Long.parseLong(connected.id()));

            assertEquals(200, rest.delete("/connections/ev1").status());
            SseClient.Event deleted = client.await("ev1 deleted", e -> e.name().equals("deleted")
                    && e.json().path("id").asText().equals("ev1"));
            assertEquals("deleted", deleted.json().path("status").asText());
        }
    }

    @Test
    public void aFailingDialIsAnEventWithItsError() {
        try (SseClient client = SseClient.open(rest.base())) {
            client.next();
            fake.failDials(true);
            rest.post("/connections", json("id", "refused", "typ", "fake", "props", Map.of()));
            SseClient.Event down = client.await("refused disconnected",
                    e -> isStatus(e, "refused", "disconnected"));
            assertEquals("fake dial refused", down.json().path("err").asText());
        } finally {
            fake.failDials(false);
        }
    }

    @Test
    public void aClientResumingWithLastEventIdGetsWhatItMissedWithoutASnapshot() {
        rest.post("/connections", json("id", "resumed", "typ", "fake", "props", Map.of()));
        Pools.awaitStatus(context, "resumed", Status.CONNECTED, null);
        String lastSeen;
        try (SseClient first = SseClient.open(rest.base())) {
            lastSeen = first.next().id();
        }
        rest.put("/connections/resumed", json("typ", "fake", "props", Map.of("x", 2)));
        rest.delete("/connections/resumed");
        try (SseClient resumed = SseClient.open(rest.base(), "Last-Event-ID", lastSeen)) {
            SseClient.Event first = resumed.next();
            assertEquals("status", first.name());
            assertEquals(Long.parseLong(lastSeen) + 1, Long.parseLong(first.id()));
            assertEquals("resumed", first.json().path("id").asText());
            SseClient.Event deleted = resumed.await("the delete it missed", e -> e.name().equals("deleted")
                    && e.json().path("id").asText().equals("resumed"));
            assertFalse(resumed.text(), resumed.text().contains("event:snapshot"));
            assertTrue(Long.parseLong(deleted.id()) > Long.parseLong(first.id()));
        }
    }

    @Test
    public void anIdleStreamGetsHeartbeatComments() {
        try (SseClient client = SseClient.open(rest.base())) {
            client.next();
            Poll.until("three heartbeats", () -> client.comments() >= 3, client::text);
            assertTrue(client.text(), client.text().contains(": heartbeat\n"));
        }
    }

    /**
     * A client that stops reading fills its socket, then its queue of {@value #MAX_QUEUED_EVENTS} events: it is
     * dropped, while the pool goes on and a client that reads gets every event. The events come from anonymous
     * connections opened and closed in rounds (each one: connecting, then deleted; nothing written to disk); each
     * round waits until the reading client has its last event, so that only the stalled one falls behind.
     */
    @Test
    public void aClientThatStopsReadingIsDroppedAndHoldsUpNothing() throws Exception {
        double droppedBefore = metric("tether_event_clients_dropped_total");
        try (Socket stalled = stalledClient(); SseClient healthy = SseClient.open(rest.base())) {
            healthy.next();
            ConnectionPool pool = Pools.await(context);
            int opened = 0;
            while (metric("tether_event_clients_dropped_total") <= droppedBefore) {
                assertTrue("the stalled client was not dropped after " + opened + " connections", opened < 200_000);
                for (int i = 0; i < 200; i++) {
                    pool.attach("it", "churn-" + ++opened, "fake", Map.of(), (id, status) -> { }).close();
                }
                String last = "churn-" + opened;
                healthy.await("the round's last event", e -> e.name().equals("deleted")
                        && e.json().path("id").asText().endsWith(last));
            }
            assertEquals(201, rest.post("/connections", json("id", "after", "typ", "fake", "props", Map.of()))
                    .status());
            assertEquals(200, rest.delete("/connections/after").status());
            healthy.await("the delete after the drop", e -> e.name().equals("deleted")
                    && e.json().path("id").asText().equals("after"));
        }
    }

    @Test
    public void eventsCarryNoSecrets() {
        String secret = "s3cr3t-" + System.nanoTime();
        try (SseClient client = SseClient.open(rest.base())) {
            client.next();
            rest.post("/connections", json("id", "secretive", "typ", "fake", "props",
                    Map.of("apiKey", secret, "url", "tcp://user:" + secret + "@127.0.0.1:1")));
            client.await("secretive connected", e -> isStatus(e, "secretive", "connected"));
            rest.delete("/connections/secretive");
            client.await("secretive deleted", e -> e.name().equals("deleted"));
            assertFalse(client.text(), client.text().contains(secret));
        }
    }

    @Test
    public void pingAndRootAnswerAsEkuiper() {
        assertEquals(200, rest.get("/ping").status());
        JsonNode root = rest.get("/").json();
        assertFalse(root.path("version").asText().isEmpty());
        assertEquals("linux", root.path("os").asText());
        assertFalse(root.path("arch").asText().isEmpty());
        assertTrue(root.toString(), root.path("upTimeSeconds").isIntegralNumber());
    }

    private boolean heartbeatWithinASecond() {
        try (SseClient probe = SseClient.open(rest.base())) {
            Poll.until("a heartbeat", Duration.ofSeconds(1), () -> probe.comments() > 0);
            return true;
        } catch (RuntimeException | AssertionError notYet) {
            return false;
        }
    }

    private Socket stalledClient() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        String port = context.getProperty(TetherRuntime.HTTP_PORT);
        socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 2000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private double metric(String name) {
        Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(rest.get("/metrics").body());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    private static boolean isStatus(SseClient.Event event, String id, String status) {
        return event.name().equals("status") && event.json().path("id").asText().equals(id)
                && event.json().path("status").asText().equals(status);
    }

    private static JsonNode find(JsonNode snapshot, String id) {
        for (JsonNode connection : snapshot) {
            if (connection.path("id").asText().equals(id)) {
                return connection;
            }
        }
        throw new AssertionError("no " + id + " in " + snapshot);
    }
}
