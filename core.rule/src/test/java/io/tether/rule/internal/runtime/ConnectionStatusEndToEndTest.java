package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.Status;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TestPool;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;

/** eKuiper's connection status scenario: a shared stream and rules on a named connection whose broker comes and goes. */
class ConnectionStatusEndToEndTest {
    private static final String SOURCE_STATUS = "source_tttStream_0_connection_status";

    @TempDir
    Path directory;
    private Mosquitto broker;
    private RulesOverMqtt rules;
    private TestPool pool;
    private RuleEngine engine;

    @AfterEach
    void stop() throws Exception {
        rules.close();
        broker.close();
    }

    private void awaitStatus(String rule, String key, int value) throws InterruptedException {
        RuleEngineTest.await(() -> Integer.valueOf(value).equals(engine.status(rule).get(key)));
    }

    @Test
    void rulesFollowTheirConnectionAsTheBrokerComesAndGoes() throws Exception {
        broker = Mosquitto.prepare(directory.resolve("broker"));
        rules = new RulesOverMqtt(directory);
        pool = rules.pool;
        engine = rules.engine;

        pool.create("conn1", "mqtt", Map.of("server", broker.tcpUrl()));
        Files.createDirectories(directory.resolve("etc/sources"));
        Files.writeString(directory.resolve("etc/sources/mqtt.yaml"), "ttt:\n  connectionSelector: conn1\n");
        engine.createStream("CREATE STREAM tttStream () WITH (TYPE=\"mqtt\", DATASOURCE=\"ttt\", CONF_KEY=\"ttt\", "
                + "SHARED=\"true\")");
        engine.createRule(new RuleDefinition("ruleTTT1", "SELECT * FROM tttStream",
                List.of(new Action("nop", Map.of())), true));
        awaitStatus("ruleTTT1", SOURCE_STATUS, -1);
        assertEquals(Status.DISCONNECTED, pool.get("conn1").orElseThrow().status().status());

        broker.start();
        awaitStatus("ruleTTT1", SOURCE_STATUS, 1);
        engine.createRule(new RuleDefinition("ruleTTT2", "SELECT * FROM tttStream",
                List.of(new Action("mqtt", Map.of("connectionSelector", "conn1", "topic", "result"))), true));
        // the shared source hands its last status to a new rule at once; the pool tells a new sink soon after
        assertEquals(1, engine.status("ruleTTT2").get(SOURCE_STATUS));
        awaitStatus("ruleTTT2", "sink_mqtt_0_connection_status", 1);

        broker.stop();
        awaitStatus("ruleTTT1", SOURCE_STATUS, 0);
        awaitStatus("ruleTTT2", SOURCE_STATUS, 0);
        awaitStatus("ruleTTT2", "sink_mqtt_0_connection_status", 0);

        broker.start();
        awaitStatus("ruleTTT1", SOURCE_STATUS, 1);
        awaitStatus("ruleTTT2", "sink_mqtt_0_connection_status", 1);

        engine.deleteRule("ruleTTT1");
        engine.deleteRule("ruleTTT2");
        engine.deleteStream("tttStream");
        assertEquals(List.of(), pool.get("conn1").orElseThrow().status().refs());
        pool.delete("conn1");
        assertEquals(List.of(), pool.list(true));
    }
}
