package io.tether.edgex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.ConnectorContract;
import io.tether.testkit.Mosquitto;

/** The connector contract on the MQTT bus (QoS 1), against a private Mosquitto behind the suite's proxy. */
class MqttConnectorContractTest extends ConnectorContract {
    @TempDir
    static Path directory;
    static Mosquitto broker;
    static MqttAsyncClient device;
    private final EdgexSourceProvider sources = new EdgexSourceProvider();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start(directory);
        device = BareMqtt.connect(broker.tcpUrl());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        device.disconnectForcibly(1000);
        device.close();
        broker.close();
    }

    @Override
    protected String type() {
        return EdgexConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        return new EdgexConnectorFactory(sources);
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + EdgexConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return broker.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        Map<String, Object> props = new HashMap<>();
        props.put("server", "127.0.0.1");
        props.put("port", port);
        props.put("optional", new HashMap<>(Map.of("Username", "tether", "Password", secret(), "Qos", "1",
                "KeepAlive", "2")));
        return props;
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("port", 0);
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        return sources;
    }

    @Override
    protected String datasource() {
        return "contract/events/#";
    }

    @Override
    protected Map<String, Object> sourceProps() {
        return Map.of("messageType", "request");
    }

    @Override
    protected void produce(String marker) throws Exception {
        BareMqtt.publish(device, "contract/events/dev", envelope(Device.addEventRequest(marker, 1)), 1);
    }

    /** The whole envelope as JSON, as go-mod-messaging publishes on MQTT. */
    static byte[] envelope(String payload) {
        return EnvelopeCodec.encode(new Envelope("v3", "", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                0, payload.getBytes(UTF_8), "application/json", Map.of()));
    }
}
