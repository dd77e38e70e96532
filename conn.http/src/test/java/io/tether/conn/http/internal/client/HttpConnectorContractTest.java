package io.tether.conn.http.internal.client;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorContract;

/** The connector contract for the http type, its source being httppull polling the test server through the proxy. */
class HttpConnectorContractTest extends ConnectorContract {
    private static TestServer server;
    private static volatile String served = "";

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestServer().answer("/data", request -> TestServer.Answer.ok(served));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected String type() {
        return "http";
    }

    @Override
    protected ConnectorFactory factory() {
        return new HttpConnectorFactory();
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + HttpConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return server.port();
    }

    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("url", "http://127.0.0.1:" + port, "timeout", 2000,
                "headers", Map.of("Authorization", "Bearer " + secret()));
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("timeout", -5);
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        return new HttpPullSourceProvider();
    }

    @Override
    protected String datasource() {
        return "/data";
    }

    @Override
    protected Map<String, Object> sourceProps() {
        return Map.of("interval", 50);
    }

    @Override
    protected void produce(String marker) {
        served = marker;
    }
}
