package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.io.File;
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

/**
 * Issue 4 (SPEC §7): rules survive updates of the connector bundle they use. Two running rules read and write MQTT,
 * one over a named connection and one over anonymous pooled connections. An update of conn.mqtt leaves both
 * {@code running}, and messages published afterwards reach them with no user action; an uninstall leaves them
 * {@code running} with their sources and sinks disconnected ({@code connector type 'mqtt' is not installed}); a
 * reinstall makes data flow again. Stopping the rule bundle itself leaves no thread of it; its rules run again when
 * it starts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesFollowTheMqttBundleIT {

    static final String MQTT_BUNDLE = "tether.conn.mqtt";
    static final String RULES_BUNDLE = "tether.core.rule";
    static final String NOT_INSTALLED = "connector type 'mqtt' is not installed";

    @Inject
    BundleContext context;

    PrivateMosquitto broker;
    Rest rest;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RulesFollowTheMqttBundleIT.class, TetherRuntime.RULES, TetherRuntime.MQTT);
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
    public void rulesOnNamedAndAnonymousConnectionsOutliveUpdateAndUninstallOfTheConnector() throws Exception {
        created(rest.post("/connections", Rest.json("id", "plant", "typ", "mqtt",
                "props", Map.of("server", broker.url()))));
        ok(rest.put("/metadata/sources/mqtt/confKeys/plant_conf", Rest.json("connectionSelector", "plant")));
        ok(rest.put("/metadata/sources/mqtt/confKeys/direct_conf", Rest.json("server", broker.url())));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM named () WITH (TYPE=\"mqtt\", "
                + "DATASOURCE=\"in/named\", CONF_KEY=\"plant_conf\")")));
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM direct () WITH (TYPE=\"mqtt\", "
                + "DATASOURCE=\"in/direct\", CONF_KEY=\"direct_conf\")")));
        created(rest.post("/rules", Rest.json("id", "onNamed", "sql", "SELECT * FROM named",
                "actions", List.of(Map.of("mqtt", Map.of("connectionSelector", "plant", "topic", "out/named"))))));
        created(rest.post("/rules", Rest.json("id", "onAnonymous", "sql", "SELECT * FROM direct",
                "actions", List.of(Map.of("mqtt", Map.of("server", broker.url(), "topic", "out/direct"))))));

        awaitDataFlows("onNamed", "named", "in/named");
        awaitDataFlows("onAnonymous", "direct", "in/direct");

        mqttBundle().update();
        assertRunning("onNamed");
        assertRunning("onAnonymous");
        awaitDataFlows("onNamed", "named", "in/named");
        awaitDataFlows("onAnonymous", "direct", "in/direct");

        String location = mqttBundle().getLocation();
        mqttBundle().uninstall();
        for (String[] rule : new String[][] { { "onNamed", "named" }, { "onAnonymous", "direct" } }) {
            Poll.until(rule[0] + "'s source and sink report that mqtt is not installed", () -> {
                JsonNode status = status(rule[0]);
                return status.path("source_" + rule[1] + "_0_connection_status").asInt() == -1
                        && NOT_INSTALLED.equals(status.path("source_" + rule[1] + "_0_connection_last_disconnected_message")
                                .asText())
                        && status.path("sink_mqtt_0_connection_status").asInt() == -1
                        && NOT_INSTALLED.equals(status.path("sink_mqtt_0_connection_last_disconnected_message").asText());
            }, () -> status(rule[0]));
            assertRunning(rule[0]);
        }

        context.installBundle(location).start();
        awaitDataFlows("onNamed", "named", "in/named");
        awaitDataFlows("onAnonymous", "direct", "in/direct");
        assertRunning("onNamed");
        assertRunning("onAnonymous");
    }

    @Test
    public void stoppingTheRuleBundleLeavesNoThreadOfItAndItsRulesComeBackWhenItStarts() throws Exception {
        created(rest.post("/streams", Rest.json("sql", "CREATE STREAM ticks () WITH (TYPE=\"simulator\")")));
        created(rest.post("/rules", Rest.json("id", "ticking", "sql", "SELECT * FROM ticks",
                "actions", List.of(Map.of("nop", Map.of())))));
        Poll.until("the rule processes records on the rule workers",
                () -> status("ticking").path("sink_nop_0_records_out_total").asLong() > 0
                        && !ruleThreads().isEmpty(), () -> status("ticking"));

        Bundle rules = bundle(RULES_BUNDLE);
        rules.stop();
        Poll.until("no thread of the rule bundle is left", () -> ruleThreads().isEmpty(),
                RulesFollowTheMqttBundleIT::ruleThreads);

        rules.start();
        Poll.until("the rule runs again", () -> rest.get("/rules/ticking/status").status() == 200
                && "running".equals(status("ticking").path("status").asText())
                && status("ticking").path("sink_nop_0_records_out_total").asLong() > 0,
                () -> rest.get("/rules/ticking/status"));
        ok(rest.delete("/rules/ticking"));
        ok(rest.delete("/streams/ticks"));
    }

    private static List<String> ruleThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tether-rules") || name.startsWith("tether-simulator")).sorted()
                .toList();
    }

    /**
     * Publishes to the rule's topic until a message goes through it: counted in by its source and out by its mqtt
     * sink. Polling by publishing, because a subscription is made on the broker shortly after a connection is up.
     */
    private void awaitDataFlows(String rule, String stream, String topic) {
        long in = status(rule).path("source_" + stream + "_0_records_in_total").asLong();
        long out = status(rule).path("sink_mqtt_0_records_out_total").asLong();
        Poll.until(rule + " receives a message published to " + topic + " and sends it on", () -> {
            broker.publish(topic, "{\"temperature\": 21}");
            JsonNode status = status(rule);
            return status.path("source_" + stream + "_0_records_in_total").asLong() > in
                    && status.path("sink_mqtt_0_records_out_total").asLong() > out;
        }, () -> status(rule));
    }

    private JsonNode status(String rule) {
        Rest.Response response = rest.get("/rules/" + rule + "/status");
        assertEquals(response.toString(), 200, response.status());
        return response.json();
    }

    private void assertRunning(String rule) {
        assertEquals(rule + ": " + status(rule), "running", status(rule).path("status").asText());
    }

    private static void created(Rest.Response response) {
        assertEquals(response.toString(), 201, response.status());
    }

    private static void ok(Rest.Response response) {
        assertEquals(response.toString(), 200, response.status());
    }

    private Bundle mqttBundle() {
        return bundle(MQTT_BUNDLE);
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
