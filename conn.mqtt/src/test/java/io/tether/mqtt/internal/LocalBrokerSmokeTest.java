package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.Poll;
import io.tether.testkit.Peers;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;

/** The machine's own Mosquitto on 127.0.0.1:1883 (.ci/run starts it when it is not running). */
class LocalBrokerSmokeTest {
    private static final String SERVER = "tcp://127.0.0.1:1883";

    @Test
    void aNamedConnectionToTheLocalBrokerCarriesASinksMessagesToASource(@TempDir Path dir) throws Exception {
        assertTrue(Peers.listening(1883),
                "no broker on 127.0.0.1:1883: start one with mosquitto -d -c /etc/mosquitto/mosquitto.conf");
        String topic = "tether/smoke/" + UUID.randomUUID();
        try (MqttPool pools = new MqttPool(dir)) {
            pools.pool.create("local", "mqtt", Map.of("server", SERVER));
            pools.awaitStatus("local", Status.CONNECTED);
            try (RecordingSourceContext source = pools.source("rule1", topic, Map.of(ConnectionPool.CONNECTION_SELECTOR, "local"));
                    RecordingSinkContext sink = pools.sink("rule2", Map.of(ConnectionPool.CONNECTION_SELECTOR, "local",
                            "topic", topic))) {
                Poll.until("the message goes round", () -> {
                    try {
                        sink.sink().collect(List.of(Map.of("smoke", 1)));
                        return source.next(java.time.Duration.ofMillis(200)) != null;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertEquals(List.of("rule1", "rule2"), pools.pool.get("local").orElseThrow().status().refs());
            }
        }
    }
}
