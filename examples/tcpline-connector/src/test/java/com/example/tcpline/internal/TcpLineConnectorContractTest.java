package com.example.tcpline.internal;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorContract;

/** What every connector must do in the pool (core.testkit's suite), against an in-test line server. */
class TcpLineConnectorContractTest extends ConnectorContract {
    private static LineServer server;
    private final TcpLineNodes nodes = new TcpLineNodes();

    @BeforeAll
    static void startServer() throws Exception {
        server = new LineServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected String type() {
        return TcpLineConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        return new TcpLineConnectorFactory(nodes);
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + TcpLineConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return server.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("host", "127.0.0.1", "port", port, "password", secret());
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
        return nodes;
    }

    @Override
    protected void produce(String marker) {
        server.broadcast(marker);
    }
}
