package io.tether.websocket.internal;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorContract;
import io.tether.testkit.Peers;
import io.tether.testkit.WebSocketTestServer;

/** The connector contract for client mode, against a WebSocket server in the test behind the suite's proxy. */
class WebSocketConnectorContractTest extends ConnectorContract {
    private static WebSocketTestServer server;
    /** One for the class, as in a bundle: the suite closes each test's connections after the subclass's own cleanup. */
    private static WebSocketRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketTestServer.start(Peers.freePort());
        runtime = new WebSocketRuntime();
    }

    @AfterAll
    static void stop() {
        runtime.stop();
        server.close();
    }

    @Override
    protected String type() {
        return WebSocketConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        return new WebSocketConnectorFactory(runtime);
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + WebSocketConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return server.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("addr", "127.0.0.1:" + port, "path", "/contract",
                "requestHeader", Map.of("Authorization", "Bearer " + secret()));
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("scheme", "ftp");
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        return new WebSocketSourceProvider(runtime);
    }

    @Override
    protected String datasource() {
        return "/contract";
    }

    @Override
    protected void produce(String marker) {
        server.broadcast(marker);
    }
}
