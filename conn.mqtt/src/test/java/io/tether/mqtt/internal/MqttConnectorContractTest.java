package io.tether.mqtt.internal;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.ConnectorContract;
import io.tether.testkit.Mosquitto;

/** The connector contract, against a private Mosquitto (anonymous: it ignores the password). */
class MqttConnectorContractTest extends ConnectorContract {
    private static final String TOPIC = "contract/data";
    private static Mosquitto broker;
    private static MqttAsyncClient device;
    private MqttRuntime runtime;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start(Files.createTempDirectory("contract-broker"));
        device = BareMqtt.connect(broker.tcpUrl());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        device.disconnect().waitForCompletion();
        device.close();
        broker.close();
    }

    @Override
    protected String type() {
        return MqttConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        if (runtime == null) {
            runtime = new MqttRuntime();
        }
        return new MqttConnectorFactory(runtime);
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/OSGI-INF/tether/schema/mqtt.json");
    }

    @Override
    protected int peerPort() {
        return broker.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("server", "tcp://127.0.0.1:" + port, "username", "contract", "password", secret(),
                "keepAlive", 1);
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("server", "nosuch://contract:" + secret() + "@127.0.0.1:1");
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        if (runtime == null) {
            runtime = new MqttRuntime();
        }
        return new MqttSourceProvider(runtime);
    }

    @Override
    protected String datasource() {
        return TOPIC;
    }

    @Override
    protected void produce(String marker) throws Exception {
        BareMqtt.publish(device, TOPIC, marker.getBytes(StandardCharsets.UTF_8), 1);
    }
}
