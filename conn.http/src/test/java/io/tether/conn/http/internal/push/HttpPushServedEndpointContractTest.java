package io.tether.conn.http.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

import io.tether.testkit.ServedEndpointContract;

class HttpPushServedEndpointContractTest extends ServedEndpointContract {
    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    protected String type() {
        return HttpPushConnectorFactory.TYPE;
    }

    @Override
    protected String datasource() {
        return "/contract/in";
    }

    @Override
    protected Map<String, Object> namedProps() {
        return Map.of("endpoint", datasource());
    }

    @Override
    protected void deliver(String path, String marker) throws Exception {
        assertEquals(200, post(path, "{\"marker\":\"" + marker + "\"}"));
    }

    /** A served endpoint answers 200 or 503 (no rule attached); an unregistered one 404. */
    @Override
    protected boolean isServed(String path) throws Exception {
        return post(path, "{}") != 404;
    }

    private int post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.discarding()).statusCode();
    }
}
