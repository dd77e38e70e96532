package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.io.RawMessage;
import io.tether.testkit.Poll;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;

/** TLS against a broker with a CA made at test time, and the MQTT 5 client. */
class TlsAndMqtt5Test {
    @TempDir
    static Path certificatesDirectory;
    static TestCertificates certificates;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create(certificatesDirectory);
    }

    @Test
    void mutualTlsWithTheTestCaAndAClientCertificateInPkcs8OrPkcs1() throws Exception {
        try (Mosquitto broker = certificates.startBroker(dir.resolve("broker"), true);
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            for (Path key : List.of(certificates.clientKey(), certificates.clientKeyPkcs1())) {
                String id = "tls" + key.getFileName().toString().replaceAll("[^a-z0-9]", "");
                pools.pool.create(id, "mqtt", Map.of("server", TestCertificates.sslUrl(broker),
                        "rootCaPath", certificates.caCertificate().toString(),
                        "certificationPath", certificates.clientCertificate().toString(),
                        "privateKeyPath", key.toString()));
                pools.awaitStatus(id, Status.CONNECTED);
            }
            RecordingSourceContext source = pools.source("rule1", "secure/1", Map.of(ConnectionPool.CONNECTION_SELECTOR,
                    "tlsclientkey"));
            RecordingSinkContext sink = pools.sink("rule2", Map.of(ConnectionPool.CONNECTION_SELECTOR, "tlsclientpkcs1key",
                    "topic", "secure/1"));
            Poll.until("a message crosses the TLS broker", () -> {
                try {
                    sink.sink().collect(List.of(Map.of("secure", true)));
                    return source.next(java.time.Duration.ofMillis(200)) != null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            source.close();
            sink.close();
        }
    }

    @Test
    void serverOnlyTlsWithTheCaOrWithoutVerification() throws Exception {
        try (Mosquitto broker = certificates.startBroker(dir.resolve("broker"), false);
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.factory.check(Map.of("server", TestCertificates.sslUrl(broker), "rootCaPath",
                    certificates.caCertificate().toString()), java.time.Duration.ofSeconds(5));
            pools.factory.check(Map.of("server", "ssl://127.0.0.1:" + broker.port(), "insecureSkipVerify", true),
                    java.time.Duration.ofSeconds(5));
            ConnectionException untrusted = assertThrows(ConnectionException.class,
                    () -> pools.factory.check(Map.of("server", TestCertificates.sslUrl(broker)), java.time.Duration.ofSeconds(5)));
            assertTrue(untrusted.getMessage().startsWith("found error when connecting for " + TestCertificates.sslUrl(broker) + ": "),
                    untrusted.getMessage());
        }
    }

    @Test
    void mqtt5ConnectionsSubscribePublishAndHandOnTheMessageProperties() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                MqttPool pools = new MqttPool(dir.resolve("data"))) {
            pools.pool.create("v5", "mqtt", Map.of("server", broker.tcpUrl(), "protocolVersion", "5"));
            pools.awaitStatus("v5", Status.CONNECTED);
            RecordingSourceContext plus = pools.source("rule1", "v5/+", Map.of(ConnectionPool.CONNECTION_SELECTOR, "v5"));
            RecordingSourceContext hash = pools.source("rule2", "v5/#", Map.of(ConnectionPool.CONNECTION_SELECTOR, "v5"));
            RecordingSinkContext sink = pools.sink("rule3", Map.of(ConnectionPool.CONNECTION_SELECTOR, "v5", "topic", "v5/out"));
            Poll.until("the MQTT 5 sink reaches the MQTT 5 sources", () -> {
                try {
                    sink.sink().collect(List.of(Map.of("v", 5)));
                    return plus.next(java.time.Duration.ofMillis(200)) != null && !hash.messages.isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            plus.drain();
            hash.drain();

            MqttClient device = new MqttClient(broker.tcpUrl(), "v5-device", new MemoryPersistence());
            device.connect(new MqttConnectionOptions());
            MqttMessage message = new MqttMessage("{\"v\":5}".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setContentType("application/json");
            properties.setUserProperties(List.of(new UserProperty("site", "north")));
            message.setProperties(properties);
            device.publish("v5/props", message);
            device.disconnect();
            device.close();

            Poll.until("the message arrives", () -> !plus.messages.isEmpty());
            RawMessage received = plus.messages.poll();
            assertEquals("{\"v\":5}", new String(received.payload(), StandardCharsets.UTF_8));
            assertEquals("v5/props", received.meta().get("topic"));
            assertEquals("application/json", received.meta().get("contentType"));
            assertEquals(Map.of("site", "north"), received.meta().get("userProperties"));
            Poll.until("the a/# source gets it once", () -> hash.messages.size() == 1);
            plus.close();
            hash.close();
            sink.close();
        }
    }
}
