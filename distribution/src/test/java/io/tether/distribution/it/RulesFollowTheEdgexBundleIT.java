package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Assume;
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
 * Issue 11: a rule reading device events from the EdgeX bus (MQTT, a private Mosquitto) and writing derived events
 * back to it, over one named edgex connection, outlives an uninstall and a reinstall of conn.edgex: while the bundle
 * is gone the rule stays {@code running} with its source and sink reporting {@code connector type 'edgex' is not
 * installed}; once it is back, events flow again with no user action.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesFollowTheEdgexBundleIT {
    static final String NOT_INSTALLED = "connector type 'edgex' is not installed";
    static final String TOPIC = "edgex/events/device/device-simple/Simple-Device/pump-1/Switch";

    @Inject
    BundleContext context;

    PrivateMosquitto broker;
    Rest rest;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RulesFollowTheEdgexBundleIT.class, TetherRuntime.RULES, TetherRuntime.EDGEX);
    }

    @Before
    public void startBroker() {
        broker = new PrivateMosquitto(new File(TetherRuntime.directory(getClass()), "broker"));
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    public void aRuleOnTheEdgexBusOutlivesUninstallAndReinstallOfTheConnector() throws Exception {
        created(rest.post("/connections", Rest.json("id", "bus", "typ", "edgex", "props",
                Map.of("server", "127.0.0.1", "port", broker.port(), "optional", Map.of("Qos", 1)))));
        ok(rest.put("/metadata/sources/edgex/confKeys/devices", Rest.json("connectionSelector", "bus",
                "messageType", "request")));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM pumps () WITH (TYPE=\"edgex\", "
                + "DATASOURCE=\"edgex/events/device/#\", CONF_KEY=\"devices\")")));
        created(rest.post("/rules", Rest.json("id", "hot", "sql", "SELECT temperature FROM pumps WHERE temperature > 20",
                "actions", List.of(Map.of("edgex", Map.of("connectionSelector", "bus", "topicPrefix", "edgex/rules",
                        "deviceName", "hot-pumps"))))));

        awaitEventsFlow();

        Bundle edgex = bundle(TetherRuntime.EDGEX);
        String location = edgex.getLocation();
        edgex.uninstall();
        Poll.until("the rule's source and sink report that edgex is not installed", () -> {
            JsonNode status = status();
            return status.path("source_pumps_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.equals(status.path("source_pumps_0_connection_last_disconnected_message").asText())
                    && status.path("sink_edgex_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.equals(status.path("sink_edgex_0_connection_last_disconnected_message").asText());
        }, this::status);
        assertEquals("running", status().path("status").asText());

        context.installBundle(location).start();
        awaitEventsFlow();
        assertEquals("running", status().path("status").asText());
    }

    /**
     * The NATS bus inside the runtime (jnats embedded in conn.edgex): a rule publishes simulated records as EdgeX
     * events on the machine's NATS server (127.0.0.1:4222), another reads them back.
     */
    @Test
    public void rulesWriteAndReadEventsOnTheNatsBus() throws Exception {
        Assume.assumeTrue("the machine's nats-server listens on 4222 (.ci/run starts it)", listening(4222));
        String topic = "tether-it/" + UUID.randomUUID() + "/events";
        created(rest.post("/connections", Rest.json("id", "nats", "typ", "edgex", "props",
                Map.of("type", "nats-core", "server", "127.0.0.1", "port", 4222))));
        ok(rest.put("/metadata/sources/edgex/confKeys/natsbus", Rest.json("connectionSelector", "nats")));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM derived () WITH (TYPE=\"edgex\", "
                + "DATASOURCE=\"" + topic + "\", CONF_KEY=\"natsbus\")")));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM ticks () WITH (TYPE=\"simulator\")")));
        created(rest.post("/rules", Rest.json("id", "reader", "sql", "SELECT * FROM derived",
                "actions", List.of(Map.of("nop", Map.of())))));
        created(rest.post("/rules", Rest.json("id", "writer", "sql", "SELECT * FROM ticks",
                "actions", List.of(Map.of("edgex", Map.of("connectionSelector", "nats", "topic", topic))))));
        Poll.until("the reader gets the writer's events", () -> {
            Rest.Response response = rest.get("/rules/reader/status");
            return response.status() == 200
                    && response.json().path("source_derived_0_records_in_total").asLong() > 0;
        }, () -> rest.get("/rules/reader/status") + " / " + rest.get("/rules/writer/status"));
        ok(rest.delete("/rules/writer"));
        ok(rest.delete("/rules/reader"));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Publishes device events until one is read by the rule and its derived event published. */
    private void awaitEventsFlow() {
        long in = status().path("source_pumps_0_records_in_total").asLong();
        long out = status().path("sink_edgex_0_records_out_total").asLong();
        Poll.until("an event published on " + TOPIC + " goes through the rule", () -> {
            broker.publish(TOPIC, envelope(21.5));
            JsonNode status = status();
            return status.path("source_pumps_0_records_in_total").asLong() > in
                    && status.path("sink_edgex_0_records_out_total").asLong() > out;
        }, this::status);
    }

    /** An AddEventRequest in a message envelope, as a device service publishes it on the MQTT bus. */
    private static String envelope(double temperature) {
        String request = "{\"apiVersion\":\"v3\",\"requestId\":\"" + UUID.randomUUID() + "\",\"event\":{"
                + "\"apiVersion\":\"v3\",\"id\":\"" + UUID.randomUUID() + "\",\"deviceName\":\"pump-1\","
                + "\"profileName\":\"Simple-Device\",\"sourceName\":\"Switch\",\"origin\":1700000000000000000,"
                + "\"readings\":[{\"id\":\"" + UUID.randomUUID() + "\",\"origin\":1700000000000000000,"
                + "\"deviceName\":\"pump-1\",\"resourceName\":\"temperature\",\"profileName\":\"Simple-Device\","
                + "\"valueType\":\"Float64\",\"value\":\"" + temperature + "e+00\"}]}}";
        return "{\"apiVersion\":\"v3\",\"receivedTopic\":\"\",\"correlationID\":\"" + UUID.randomUUID()
                + "\",\"requestID\":\"\",\"errorCode\":0,\"payload\":" + request + ",\"contentType\":\"application/json\"}";
    }

    private JsonNode status() {
        Rest.Response response = rest.get("/rules/hot/status");
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
