package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.tether.distribution.it.Poll;
import io.tether.distribution.it.PrivateMosquitto;
import io.tether.distribution.it.SseClient;

/**
 * Issue 9, "secrets stay inside": passwords given to a connection, a rule action, a conf key and a {@code dburl}
 * never appear in a REST answer, a rule status, a metric, a status event ({@code GET /events}) or a log line (the
 * status lines {@code conn=... err=...} included); they are stored only in the data directory's stores and the
 * {@code etc/} files, all readable by the runtime's user only.
 */
public class SecretsStayInsideIT {
    /** Every secret of the test starts with this, so one search finds them all. */
    private static final String MARK = "Pw0rd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path home;
    private PrivateMosquitto broker;

    @Before
    public void startBroker() throws Exception {
        home = ExportedRuntime.freshHome("secrets");
        broker = new PrivateMosquitto(home.resolve("broker").toFile());
    }

    @After
    public void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    public void noSecretLeavesTheStores() throws Exception {
        String authority = "127.0.0.1:" + broker.url().substring(broker.url().lastIndexOf(':') + 1);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log");
                SseClient events = SseClient.open(URI.create("http://127.0.0.1:" + runtime.port()))) {
            answers.add(expect(201, runtime.post("/connections", "{\"id\":\"plant\",\"typ\":\"mqtt\",\"props\":{"
                    + "\"server\":\"tcp://" + authority + "\",\"username\":\"u\",\"password\":\"" + MARK + "1\"}}")));
            answers.add(expect(201, runtime.post("/connections", "{\"id\":\"urlpass\",\"typ\":\"mqtt\",\"props\":{"
                    + "\"server\":\"tcp://u:" + MARK + "2@" + authority + "\",\"apiKey\":\"" + MARK + "3\","
                    + "\"passwd\":\"" + MARK + "4\"}}")));
            answers.add(expect(201, runtime.post("/connections", "{\"id\":\"db\",\"typ\":\"sql\",\"props\":{"
                    + "\"dburl\":\"postgres://postgres:" + MARK + "5@127.0.0.1:5432/test\"}}")));
            answers.add(expect(201, runtime.post("/connections", "{\"id\":\"jdbc\",\"typ\":\"sql\",\"props\":{"
                    + "\"dburl\":\"jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + MARK + "6\"}}")));
            answers.add(expect(400, runtime.post("/connections", "{\"id\":\"bad\",\"typ\":\"mqtt\",\"props\":{"
                    + "\"server\":\"tcp://usr:" + MARK + "7@127.0.0.1:notaport\"}}")));
            answers.add(expect(200, runtime.put("/metadata/sources/mqtt/confKeys/plant_conf",
                    "{\"server\":\"tcp://u:" + MARK + "8@" + authority + "\",\"password\":\"" + MARK + "9\"}")));
            answers.add(expect(201, runtime.post("/streams", "{\"sql\":\"CREATE STREAM demo () WITH "
                    + "(TYPE=\\\"mqtt\\\", DATASOURCE=\\\"in/demo\\\", CONF_KEY=\\\"plant_conf\\\")\"}")));
            answers.add(expect(201, runtime.post("/rules", "{\"id\":\"relay\",\"sql\":\"SELECT * FROM demo\","
                    + "\"actions\":[{\"mqtt\":{\"server\":\"tcp://" + authority + "\",\"topic\":\"out\","
                    + "\"password\":\"" + MARK + "10\"}},{\"sql\":{\"url\":\"postgres://postgres:" + MARK
                    + "11@127.0.0.1:5432/test\",\"table\":\"no_such_table\"}}]}")));
            Poll.until("a message reaches both sinks of the rule", () -> {
                broker.publish("in/demo", "{\"temperature\": 25}");
                JsonNode status = json(body(runtime, "/rules/relay/status"));
                return status.path("sink_mqtt_0_records_in_total").asLong() > 0
                        && status.path("sink_sql_1_records_in_total").asLong() > 0;
            }, () -> body(runtime, "/rules/relay/status"));
            for (String path : List.of("/connections", "/connections?forceAll=true", "/connections/plant",
                    "/connections/urlpass", "/connections/db", "/connections/jdbc", "/rules", "/rules/relay",
                    "/rules/relay/status", "/streams", "/streams/demo", "/metadata/sources/mqtt/confKeys",
                    "/metadata/sources/mqtt/confKeys/plant_conf", "/metrics")) {
                answers.add(runtime.get(path));
            }
            events.await("plant connected", e -> e.data().contains("\"id\":\"plant\"")
                    && e.data().contains("\"status\":\"connected\""));
            runtime.stop();
            assertFalse("a status event shows a secret: " + events.text(), events.text().contains(MARK));
            assertTrue("a status line per connection event", runtime.output().contains("conn=plant typ=mqtt "));
            for (HttpResponse<String> answer : answers) {
                assertFalse(answer.uri() + " shows a secret: " + answer.body(), answer.body().contains(MARK));
            }
            assertFalse("the log shows a secret", runtime.output().contains(MARK));
        }
        assertStoredReadableByTheOwnerOnly(home.resolve("data"), true);
        assertStoredReadableByTheOwnerOnly(home.resolve("etc"), true);
    }

    private static void assertStoredReadableByTheOwnerOnly(Path root, boolean holdsSecrets) throws IOException {
        assertTrue(root + " exists", Files.isDirectory(root));
        boolean found = false;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
                assertEquals(path.toString(), expected, PosixFilePermissions.toString(mode));
                found |= Files.isRegularFile(path) && Files.readString(path).contains(MARK);
            }
        }
        assertEquals("secrets are kept under " + root, holdsSecrets, found);
    }

    private static String body(ExportedRuntime runtime, String path) {
        try {
            return runtime.get(path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertEquals(response.body(), status, response.statusCode());
        return response;
    }
}
