package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.testkit.Poll;
import io.tether.testkit.Peers;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;

/** Connectivity checks, client ids, and what a closed connection leaves behind. */
class ConnectionLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void aCheckConnectsATemporaryClientAndReportsWhyItCannot() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.pool.check("mqtt", Map.of("server", broker.tcpUrl()), Duration.ofSeconds(2));
            int closedPort = Peers.freePort();
            ConnectionPoolException unreachable = assertThrows(ConnectionPoolException.class, () -> pools.pool
                    .check("mqtt", Map.of("server", "tcp://127.0.0.1:" + closedPort), Duration.ofSeconds(2)));
            assertEquals(ConnectionPoolException.Reason.UNREACHABLE, unreachable.reason());
            assertTrue(unreachable.getMessage().startsWith("found error when connecting for tcp://127.0.0.1:"
                    + closedPort + ": Unable to connect to server"), unreachable.getMessage());
            assertTrue(pools.pool.list(true).isEmpty());
            assertPahoThreadsGone("tether_");
        }
    }

    @Test
    void aSecondConnectionWithALiveClientIdIsRefusedAtCreateNamingTheProp() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.pool.create("first", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "one-id"));
            pools.awaitStatus("first", Status.CONNECTED);
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class, () -> pools.pool
                    .create("second", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "one-id")));
            assertEquals(ConnectionPoolException.Reason.INVALID, refused.reason());
            assertEquals("invalid props: clientid: clientid 'one-id' is already used by connection first: two "
                    + "clients with one id would disconnect each other", refused.getMessage());
            assertTrue(pools.pool.get("second").isEmpty());
            assertTrue(status(pools, "first").lastDisconnected() == 0, "the first one was never kicked off");

            pools.pool.delete("first");
            pools.pool.create("second", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "one-id"));
            pools.awaitStatus("second", Status.CONNECTED);
        }
    }

    @Test
    void updatingAConnectionKeepsItsOwnClientId() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.pool.create("m", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "mine"));
            pools.awaitStatus("m", Status.CONNECTED);
            pools.pool.update("m", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "mine", "keepAlive", 7));
            Poll.until("the new instance connects", () -> status(pools, "m").status() == Status.CONNECTED
                    && status(pools, "m").lastTry() > status(pools, "m").lastDisconnected()
                    && status(pools, "m").lastDisconnected() > 0);
        }
    }

    @Test
    void deletingAConnectionStopsEveryThreadOfItsClient() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.pool.create("m", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "thread-check"));
            pools.pool.create("v5", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "thread-check5",
                    "protocolVersion", 5));
            pools.awaitStatus("m", Status.CONNECTED);
            pools.awaitStatus("v5", Status.CONNECTED);
            assertTrue(pahoThreads("thread-check").size() >= 2, pahoThreads("thread-check").toString());
            pools.pool.delete("m");
            pools.pool.delete("v5");
            assertPahoThreadsGone("thread-check");
            // a broker outage and return leave no extra threads behind either
            pools.pool.create("again", "mqtt", Map.of("server", broker.tcpUrl(), "clientid", "thread-again"));
            pools.awaitStatus("again", Status.CONNECTED);
            broker.stop();
            Poll.until("the loss is noticed", () -> status(pools, "again").status() != Status.CONNECTED);
            broker.start();
            pools.awaitStatus("again", Status.CONNECTED);
            pools.pool.delete("again");
            assertPahoThreadsGone("thread-again");
        }
    }

    @Test
    void connectionsHandOnTheirMessagesOnAFewSharedThreadsNotOneEach() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"));
                TestClient device = new TestClient(broker.tcpUrl())) {
            List<RecordingSourceContext> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    nodes.add(pools.source("rule" + i, "spread/" + i, Map.of("server", broker.tcpUrl())));
                }
                for (int i = 0; i < 20; i++) {
                    Probes.awaitReceiving(device, "spread/" + i, nodes.get(i));
                }
                assertTrue(dispatchThreads().size() <= 3, dispatchThreads().toString());
            } finally {
                nodes.forEach(RecordingSourceContext::close);
            }
        }
    }

    private static List<String> dispatchThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("tether-mqtt-dispatch-")).toList();
    }

    private static void assertPahoThreadsGone(String clientIdPart) {
        Poll.until("no thread of client " + clientIdPart + " is left", Duration.ofSeconds(5),
                () -> pahoThreads(clientIdPart).isEmpty(), () -> pahoThreads(clientIdPart));
    }

    private static List<String> pahoThreads(String clientIdPart) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("MQTT") && name.contains(clientIdPart)).toList();
    }

    private static ConnectionStatus status(MqttPool pools, String id) {
        return pools.pool.get(id).orElseThrow().status();
    }
}
