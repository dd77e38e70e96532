package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.tether.distribution.it.Poll;
import io.tether.distribution.it.PrivateMosquitto;

/**
 * Issue 9, the sink cache across a crash: a rule relays from one broker to another with {@code enableCache: true}
 * (every emission in disk pages at once: {@code memoryCacheThreshold: 0}). The sink's broker is down while messages
 * come; the runtime is killed with SIGKILL while the disk cache holds them; after a restart, with the broker back,
 * they are delivered.
 */
public class TheSinkCacheSurvivesAKilledRuntimeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int M = 40;

    private Path home;
    private PrivateMosquitto source;
    private PrivateMosquitto sink;
    private Process subscriber;

    @Before
    public void startBrokers() throws Exception {
        home = ExportedRuntime.freshHome("sink-cache-kill");
        source = new PrivateMosquitto(home.resolve("source").toFile());
        sink = new PrivateMosquitto(home.resolve("sink").toFile());
    }

    @After
    public void stopBrokers() throws Exception {
        if (subscriber != null) {
            subscriber.destroyForcibly().waitFor();
        }
        source.close();
        sink.close();
    }

    @Test
    public void whatTheDiskCacheHeldWhenTheRuntimeWasKilledIsDeliveredAfterTheRestart() throws Exception {
        int sinkPort = sink.port();
        Path received = home.resolve("received.txt");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "first-start.log")) {
            expect(201, runtime.post("/connections", "{\"id\":\"in\",\"typ\":\"mqtt\",\"props\":{\"server\":\""
                    + source.url() + "\"}}"));
            expect(201, runtime.post("/connections", "{\"id\":\"out\",\"typ\":\"mqtt\",\"props\":{\"server\":\""
                    + sink.url() + "\"}}"));
            expect(200, runtime.put("/metadata/sources/mqtt/confKeys/in", "{\"connectionSelector\":\"in\"}"));
            expect(201, runtime.post("/streams", "{\"sql\":\"CREATE STREAM s () WITH (TYPE=\\\"mqtt\\\", "
                    + "DATASOURCE=\\\"in\\\", CONF_KEY=\\\"in\\\")\"}"));
            expect(201, runtime.post("/rules", "{\"id\":\"relay\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"mqtt\":"
                    + "{\"connectionSelector\":\"out\",\"topic\":\"out\",\"sendSingle\":true,\"enableCache\":true,"
                    + "\"memoryCacheThreshold\":0,\"bufferPageSize\":1}}]}"));
            Poll.until("the rule's sink is connected", () -> status(runtime).path("sink_mqtt_0_connection_status")
                    .asInt() == 1, () -> status(runtime));

            sink.close();
            Poll.until("the sink knows its broker is gone", () -> status(runtime)
                    .path("sink_mqtt_0_connection_status").asInt() != 1, () -> status(runtime));
            for (int i = 0; i < M; i++) {
                source.publish("in", "{\"id\":" + i + "}");
            }
            Poll.await("the disk cache holds every message", Duration.ofSeconds(60), () -> status(runtime)
                    .path("sink_mqtt_0_cache_length").asInt() == M ? Boolean.TRUE : null, () -> status(runtime));
            runtime.kill();
        }

        sink = new PrivateMosquitto(home.resolve("sink").toFile(), sinkPort);
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(sinkPort), "-q",
                "1", "-t", "out").redirectErrorStream(true).redirectOutput(received.toFile()).start();
        Poll.until("the subscriber is subscribed", () -> {
            sink.publish("out", "probe");
            return lines(received).contains("probe");
        });
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "second-start.log")) {
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < M; i++) {
                expected.add("{\"id\":" + i + "}");
            }
            Poll.await("every cached message arrives after the restart", Duration.ofSeconds(60),
                    () -> lines(received).containsAll(expected) ? Boolean.TRUE : null,
                    () -> lines(received).size() + " arrived; rule: " + status(runtime));
            runtime.stop();
        }
    }

    private static Set<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode status(ExportedRuntime runtime) {
        try {
            return JSON.readTree(runtime.get("/rules/relay/status").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expect(int code, HttpResponse<String> response) {
        assertEquals(response.body(), code, response.statusCode());
    }
}
