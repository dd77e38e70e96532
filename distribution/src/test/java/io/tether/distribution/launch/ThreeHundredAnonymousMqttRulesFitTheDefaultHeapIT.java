package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.tether.distribution.it.Poll;
import io.tether.distribution.it.PrivateMosquitto;

/**
 * Issue 9, "memory that grows with use": 300 rules, each with its own anonymous MQTT connection, run in the default
 * heap (96 MiB) and come back after a restart with the REST API answering. Prints heap and threads.
 */
public class ThreeHundredAnonymousMqttRulesFitTheDefaultHeapIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RULES = 300;
    private static final List<String> DEFAULT_HEAP = List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError");
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private Path home;
    private PrivateMosquitto broker;
    private final List<String> ids = IntStream.range(0, RULES).mapToObj(i -> String.format("r%03d", i)).toList();

    @Before
    public void startBroker() throws Exception {
        home = ExportedRuntime.freshHome("three-hundred");
        broker = new PrivateMosquitto(home.resolve("broker").toFile());
    }

    @After
    public void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    public void threeHundredRulesOnTheirOwnConnectionsRunAndRestartWithin96MiB() throws Exception {
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "first-start.log", DEFAULT_HEAP)) {
            ok(runtime.put("/metadata/sources/mqtt/confKeys/many",
                    "{\"server\":\"" + broker.url() + "\",\"qos\":0}"));
            created(runtime.post("/streams", "{\"sql\":\"CREATE STREAM many () WITH (TYPE=\\\"mqtt\\\", "
                    + "DATASOURCE=\\\"many/in\\\", CONF_KEY=\\\"many\\\")\"}"));
            for (String id : ids) {
                created(runtime.post("/rules",
                        "{\"id\":\"" + id + "\",\"sql\":\"SELECT * FROM many\",\"actions\":[{\"nop\":{}}]}"));
            }
            awaitAllReceive(runtime);
            JsonNode connections = JSON.readTree(runtime.get("/connections?forceAll=true").body());
            assertEquals(connections.toString(), RULES, connections.size());
            report("300 rules running", runtime);
            runtime.stop();
        }
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "second-start.log", DEFAULT_HEAP)) {
            awaitAllReceive(runtime);
            report("300 rules after a restart", runtime);
            runtime.stop();
        }
    }

    /** Publishes until every rule counted a record in: each of them is running, connected and subscribed. */
    private void awaitAllReceive(ExportedRuntime runtime) {
        Poll.await("all " + RULES + " rules receive", PATIENCE, () -> {
            broker.publish("many/in", "{\"temperature\": 25}");
            List<String> deaf = ids.stream().filter(id -> recordsIn(runtime, id) == 0).toList();
            return deaf.isEmpty() ? Boolean.TRUE : null;
        }, () -> ids.stream().filter(id -> recordsIn(runtime, id) == 0).count() + " rules have received nothing");
    }

    private static long recordsIn(ExportedRuntime runtime, String id) {
        try {
            HttpResponse<String> response = runtime.get("/rules/" + id + "/status");
            JsonNode status = JSON.readTree(response.body());
            return "running".equals(status.path("status").asText())
                    ? status.path("source_many_0_records_in_total").asLong() : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String when, ExportedRuntime runtime) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(runtime.pid()), "GC.heap_info")
                .redirectErrorStream(true).start();
        String heap = new String(jcmd.getInputStream().readAllBytes()).lines()
                .filter(line -> line.contains("total") || line.contains("used")).findFirst().orElse("?").trim();
        jcmd.waitFor();
        String threads = Files.readAllLines(Path.of("/proc", Long.toString(runtime.pid()), "status")).stream()
                .filter(line -> line.startsWith("Threads:") || line.startsWith("VmRSS:"))
                .map(line -> line.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("?");
        System.out.printf("%s (-Xmx96m): heap %s; %s%n", when, heap, threads);
    }

    private static void created(HttpResponse<String> response) {
        assertEquals(response.body(), 201, response.statusCode());
    }

    private static void ok(HttpResponse<String> response) {
        assertEquals(response.body(), 200, response.statusCode());
    }
}
