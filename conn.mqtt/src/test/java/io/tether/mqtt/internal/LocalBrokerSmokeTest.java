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

/** The machine's own Mosquitto on 127.0.0.1:1883 (.ci/run starts it when it is not running). */
class LocalBrokerSmokeTest {
    private static final String SERVER = "tcp://127.0.0.1:1883";

    @Test
    void aNamedConnectionToTheLocalBrokerCarriesASinksMessagesToASource(@TempDir Path dir) throws Exception {
        assertTrue(Mosquitto.listening(1883),
                "no broker on 127.0.0.1:1883: start one with mosquitto -d -c /etc/mosquitto/mosquitto.conf");
        String topic = "tether/smoke/" + UUID.randomUUID();
        try (TestPool pools = new TestPool(dir)) {
            pools.pool.create("local", "mqtt", Map.of("server", SERVER));
            pools.awaitStatus("local", Status.CONNECTED);
            try (TestNode source = pools.source("rule1", topic, Map.of(ConnectionPool.CONNECTION_SELECTOR, "local"));
                    TestNode sink = pools.sink("rule2", Map.of(ConnectionPool.CONNECTION_SELECTOR, "local",
                            "topic", topic))) {
                Waits.until("the message goes round", () -> {
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
