package io.tether.edgex.internal;

import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorContract;

/** The connector contract on the NATS core bus, against a private nats-server behind the suite's proxy. */
class NatsConnectorContractTest extends ConnectorContract {
    @TempDir
    static Path directory;
    static NatsServer server;
    static Device device;
    private final EdgexSourceProvider sources = new EdgexSourceProvider();

    @BeforeAll
    static void startServer() throws Exception {
        server = NatsServer.start(directory);
        device = new Device(server.port());
    }

    @AfterAll
    static void stopServer() throws Exception {
        device.close();
        server.close();
    }

    protected String busType() {
        return "nats-core";
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
        return server.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        Map<String, Object> props = new HashMap<>();
        props.put("type", busType());
        props.put("host", "127.0.0.1");
        props.put("port", port);
        props.put("optional", new HashMap<>(Map.of("Username", "tether", "Password", secret(), "AutoProvision", "true",
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
        invalid.put("port", -1);
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
    protected void produce(String marker) {
        device.publishHeaders("contract/events/dev", Device.addEventRequest(marker, 1));
    }
}
