package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.distribution.it.Poll;
import io.tether.distribution.launch.RawHttp.Answer;
import io.tether.distribution.launch.probe.DeployProbeActivator;

/**
 * The exported runtime under hostile input over real HTTP: each request is answered within a second with a 4xx in
 * the API's format and stores nothing; 500 stalled bodies leave the API answering; hot deploy still works after.
 */
public class HostileRequestsGetA4xxInTheApiFormatIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024 * 1024;

    private ExportedRuntime runtime;

    private Answer send(String method, String path, String extraHeaders, RawHttp.Body body) throws IOException {
        return RawHttp.exchange(runtime.port(), method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + extraHeaders + "\r\n", body);
    }

    private Answer sendJson(String method, String path, Object value) throws IOException {
        byte[] body = JSON.writeValueAsBytes(value);
        return send(method, path, "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n",
                out -> out.write(body));
    }

    private static void assertRefused(String what, Answer answer) throws IOException {
        String seen = what + ": " + answer;
        assertTrue(seen, answer.status() >= 400 && answer.status() < 500);
        assertTrue(seen, answer.millis() < 1000);
        assertTrue(seen, answer.headers().getOrDefault("content-type", "").startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(seen, 1000, body.path("error").asInt());
        String message = body.path("message").asText();
        assertFalse(seen, message.isEmpty() || message.contains("Exception") || message.contains("io.tether")
                || message.contains("java."));
    }

    private static Map<String, Object> connection(String id, Map<String, Object> props) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("typ", "mqtt");
        body.put("props", props);
        return body;
    }

    private static Map<String, Object> rule(String id, String sql, Map<String, Object> action) {
        return Map.of("id", id, "sql", sql, "actions", List.of(action));
    }

    @Test
    public void hostileRequestsAreRefusedFastStalledBodiesDoNotBlockTheApiAndHotDeployStillWorks() throws Exception {
        Path home = ExportedRuntime.freshHome("hostile");
        Files.createDirectories(home.resolve("deploy"));
        try (ExportedRuntime started = ExportedRuntime.start(home, "hostile.log")) {
            runtime = started;
            assertEquals(201, runtime.post("/streams", JSON.writeValueAsString(Map.of("sql",
                    "CREATE STREAM s () WITH (TYPE=\"simulator\")"))).statusCode());
            Map<String, Object> server = Map.of("server", "tcp://127.0.0.1:1883");

            assertRefused("100 MB body with Content-Length", send("POST", "/connections",
                    "Content-Length: " + 100 * MIB + "\r\n", RawHttp.repeated("", (byte) 'x', 100 * MIB, false)));
            assertRefused("100 MB chunked body", send("POST", "/connections", "Transfer-Encoding: chunked\r\n",
                    RawHttp.repeated("", (byte) 'x', 100 * MIB, true)));
            String prefix = "{\"id\":\"big\",\"typ\":\"mqtt\",\"props\":{\"server\":\"tcp://127.0.0.1:1883\",\"p\":\"";
            long propLength = 10 * MIB;
            assertRefused("10 MB prop", send("POST", "/connections",
                    "Content-Length: " + (prefix.length() + propLength + 3) + "\r\n", out -> {
                        RawHttp.repeated(prefix, (byte) 'x', propLength, false).writeTo(out);
                        out.write("\"}}".getBytes(StandardCharsets.US_ASCII));
                    }));
            assertRefused("100,000 ORs", sendJson("POST", "/rules", rule("r1",
                    "SELECT * FROM s WHERE " + "a = 1 OR ".repeat(100_000) + "a = 2", Map.of("nop", Map.of()))));
            assertRefused("450 ORs", sendJson("POST", "/rules", rule("r1",
                    "SELECT * FROM s WHERE " + "a = 1 OR ".repeat(450) + "a = 2", Map.of("nop", Map.of()))));
            assertRefused("1,000 nested parentheses", sendJson("POST", "/rules", rule("r1",
                    "SELECT * FROM s WHERE " + "(".repeat(1000) + "a" + ")".repeat(1000), Map.of("nop", Map.of()))));
            assertRefused("5,000 NOTs", sendJson("POST", "/rules", rule("r1",
                    "SELECT * FROM s WHERE " + "NOT ".repeat(5000) + "a", Map.of("nop", Map.of()))));
            assertRefused("10,000 nested abs()", sendJson("POST", "/rules", rule("r1",
                    "SELECT " + "abs(".repeat(10_000) + "a" + ")".repeat(10_000) + " FROM s", Map.of("nop", Map.of()))));
            assertRefused("3,000-deep STRUCT", sendJson("POST", "/streams", Map.of("sql", "CREATE STREAM d (f "
                    + "STRUCT(x ".repeat(3000) + "BIGINT" + ")".repeat(3000) + ") WITH (TYPE=\"simulator\")")));
            assertRefused("1 MB stream definition", sendJson("POST", "/streams", Map.of("sql", "CREATE STREAM w ("
                    + "f BIGINT, ".repeat(100_000) + "g BIGINT) WITH (TYPE=\"simulator\")")));
            Map<String, Object> deep = new LinkedHashMap<>();
            Map<String, Object> level = deep;
            for (int i = 0; i < 900; i++) {
                Map<String, Object> inner = new LinkedHashMap<>();
                level.put("p", inner);
                level = inner;
            }
            deep.put("server", "tcp://127.0.0.1:1883");
            assertRefused("props 900 levels deep", sendJson("POST", "/connections", connection("deep", deep)));
            assertRefused("bogus charset", send("POST", "/connections",
                    "Content-Type: application/json; charset=xyz-999\r\nContent-Length: 2\r\n", out -> out.write(
                            "{}".getBytes(StandardCharsets.US_ASCII))));
            assertRefused("encoded traversal", send("GET", "/streams/%2e%2e%2f%2e%2e%2fx", "", RawHttp.none()));
            assertRefused("encoded traversal, DELETE", send("DELETE", "/connections/..%2F..%2Fx", "", RawHttp.none()));
            assertRefused("CR in the path", send("GET", "/connections/a\rb", "", RawHttp.none()));
            assertRefused("folded header", send("GET", "/connections", "X-A: a\r\n  folded\r\n", RawHttp.none()));
            assertRefused("20,000-character path", send("GET", "/" + "a".repeat(20_000), "", RawHttp.none()));
            assertRefused("5,000-character path", send("GET", "/connections/" + "a".repeat(5_000), "",
                    RawHttp.none()));
            assertRefused("100 KB header", send("GET", "/connections", "X-Big: " + "a".repeat(100_000) + "\r\n",
                    RawHttp.none()));
            assertRefused("duplicate keys", sendJsonText("POST", "/connections",
                    "{\"id\":\"a\",\"id\":\"b\",\"typ\":\"mqtt\",\"props\":{\"server\":\"tcp://h:1\"}}"));
            String longId = "i".repeat(1000);
            assertRefused("1,000-character connection id", sendJson("POST", "/connections", connection(longId, server)));
            assertRefused("1,000-character rule id", sendJson("POST", "/rules",
                    rule(longId, "SELECT * FROM s", Map.of("nop", Map.of()))));
            assertRefused("1,000-character stream name", sendJson("POST", "/streams",
                    Map.of("sql", "CREATE STREAM " + longId + " () WITH (TYPE=\"simulator\")")));
            assertRefused("1,000-character conf key", sendJson("PUT", "/metadata/sources/mqtt/confKeys/" + longId,
                    Map.of("qos", 0)));
            assertRefused("stream `../../x`", sendJson("POST", "/streams",
                    Map.of("sql", "CREATE STREAM `../../x` () WITH (TYPE=\"simulator\")")));
            assertRefused("conf key qos \"high\"", sendJson("PUT", "/metadata/sources/mqtt/confKeys/k",
                    Map.of("qos", "high")));
            assertRefused("mqtt sink topic [\"a\"]", sendJson("POST", "/rules", rule("r1", "SELECT * FROM s",
                    Map.of("mqtt", Map.of("connectionSelector", "m", "topic", List.of("a"))))));

            assertEquals("[]", runtime.get("/connections").body());
            assertEquals("[]", runtime.get("/rules").body());
            assertEquals("[\"s\"]", runtime.get("/streams").body());
            assertFalse(runtime.get("/metadata/sources/mqtt/confKeys").body().contains("\"k\""));

            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    Socket socket = new Socket("127.0.0.1", runtime.port());
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /connections HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{\"id\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    stalled.add(socket);
                }
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    assertEquals(200, runtime.get("/connections").statusCode());
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertTrue("GET /connections took " + millis + " ms with 500 stalled bodies", millis < 200);
                }
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }

            Path jar = home.resolve("probe.jar");
            writeProbeBundle(jar);
            Files.move(jar, home.resolve("deploy/probe.jar"), StandardCopyOption.ATOMIC_MOVE);
            Poll.until("the bundle dropped into deploy/ starts",
                    () -> Files.exists(home.resolve(DeployProbeActivator.MARKER)), () -> home.resolve("hostile.log"));
            assertTrue(runtime.output(), runtime.get("/connections").statusCode() == 200);
        }
    }

    private Answer sendJsonText(String method, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send(method, path, "Content-Length: " + body.length + "\r\n", out -> out.write(body));
    }

    @Test
    public void aStoredIdThatNewIdsMayNotHaveStillLoadsListsAndDeletes() throws Exception {
        Path home = ExportedRuntime.freshHome("stored-long-id");
        String id = "c".repeat(200);
        Files.createDirectories(home.resolve("data"));
        JSON.writeValue(home.resolve("data/connections.json").toFile(), Map.of(
                "connections", List.of(connection(id, Map.of("server", "tcp://127.0.0.1:1"))),
                "provisioned", Map.of()));
        try (ExportedRuntime started = ExportedRuntime.start(home, "stored-long-id.log")) {
            assertTrue(started.get("/connections").body().contains(id));
            assertEquals(200, started.delete("/connections/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                    .statusCode());
            assertEquals("[]", started.get("/connections").body());
        }
    }

    private static void writeProbeBundle(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.tether.it.deployprobe");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", DeployProbeActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework");
        String entry = DeployProbeActivator.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream in = DeployProbeActivator.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
