package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Issue 9: a QoS 1 burst through a relay rule (MQTT source and sink on one named connection with a persistent
 * session, default rule options) loses nothing when the conn.mqtt bundle is updated in the middle of it. What the
 * rule accepted is processed before its connection goes; what it had not accepted was not acknowledged, so the broker
 * delivers it again to the new connection. Duplicates are allowed, and counted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AQos1BurstSurvivesAnUpdateOfTheMqttBundleIT {
    private static final int N = 20_000;

    @Inject
    BundleContext context;

    private File directory;
    private PrivateMosquitto broker;
    private Rest rest;
    private Process counter;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(AQos1BurstSurvivesAnUpdateOfTheMqttBundleIT.class, TetherRuntime.RULES,
                TetherRuntime.MQTT);
    }

    @Before
    public void startBroker() {
        directory = TetherRuntime.directory(getClass());
        broker = new PrivateMosquitto(new File(directory, "broker"), "max_queued_messages 0");
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void stopBroker() throws Exception {
        if (counter != null) {
            counter.destroyForcibly().waitFor();
        }
        broker.close();
    }

    @Test
    public void nothingIsLostWhenTheConnectorIsUpdatedMidBurst() throws Exception {
        created(rest.post("/connections", Rest.json("id", "plant", "typ", "mqtt", "props", Map.of(
                "server", broker.url(), "clientid", "burst-relay", "enableClientSession", true))));
        ok(rest.put("/metadata/sources/mqtt/confKeys/plant_conf",
                Rest.json("connectionSelector", "plant", "qos", 1)));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM s () WITH (TYPE=\"mqtt\", "
                + "DATASOURCE=\"in\", CONF_KEY=\"plant_conf\")")));
        created(rest.post("/rules", Rest.json("id", "relay", "sql", "SELECT * FROM s", "actions", List.of(Map.of(
                "mqtt", Map.of("connectionSelector", "plant", "topic", "out", "qos", 1, "sendSingle", true))))));

        Path received = directory.toPath().resolve("received.txt");
        counter = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-q", "1", "-t", "out").redirectErrorStream(true).redirectOutput(received.toFile()).start();
        Poll.until("a probe goes through the relay", () -> {
            broker.publish("in", "{\"id\":-1}");
            return lines(received).contains("{\"id\":-1}");
        });

        Path burst = directory.toPath().resolve("burst.txt");
        Files.write(burst, IntStream.range(0, N).mapToObj(i -> "{\"id\":" + i + "}").toList());
        Process publisher = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port()), "-q", "1", "-t", "in", "-l").redirectInput(burst.toFile())
                .redirectErrorStream(true).redirectOutput(directory.toPath().resolve("publisher.txt").toFile())
                .start();
        Poll.until("a quarter of the burst went through", Duration.ofSeconds(60),
                () -> lines(received).size() > N / 4);
        bundle("tether.conn.mqtt").update();
        assertEquals("the publisher finished", true, publisher.waitFor(120, TimeUnit.SECONDS));

        Poll.await("every message of the burst arrived", Duration.ofSeconds(120),
                () -> distinctIds(received) == N ? Boolean.TRUE : null, () -> distinctIds(received) + " of " + N + " arrived; rule: "
                        + rest.get("/rules/relay/status"));
        System.out.printf("QoS 1 burst of %d across an update of conn.mqtt: %d duplicates%n", N,
                lines(received).size() - 1 - N);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int distinctIds(Path file) {
        return lines(file).stream().filter(line -> line.startsWith("{\"id\":") && !line.equals("{\"id\":-1}"))
                .collect(Collectors.toSet()).size();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    private static void created(Rest.Response response) {
        assertEquals(response.toString(), 201, response.status());
    }

    private static void ok(Rest.Response response) {
        assertEquals(response.toString(), 200, response.status());
    }
}
