package io.tether.distribution.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.framework.BundleContext;

/** The REST API of the runtime under test, over real HTTP on its loopback port. */
public final class Rest {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    public Rest(BundleContext context) {
        String port = context.getProperty(TetherRuntime.HTTP_PORT);
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** An HTTP answer: status, content type, body text, and the body as JSON when it parses. */
    public record Response(int status, String contentType, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public boolean isJson() {
            return contentType != null && contentType.startsWith("application/json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    public URI base() {
        return base;
    }

    /** A request with headers of its own ({@code headers} alternate names and values); {@code body} may be null. */
    public Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** Builds a JSON text from alternating keys and values (strings, numbers, maps, JSON nodes). */
    public static String json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }

    private static volatile AssertionError notReady;

    /**
     * Waits until the connections resource answers (the whiteboard and the pool are up). Once that failed in a
     * framework, later calls fail at once rather than wait again.
     */
    public void awaitReady() {
        if (notReady != null) {
            throw new AssertionError("the runtime did not get ready (see the first failure)", notReady);
        }
        try {
            Poll.await("GET /connections answers 200", Poll.PATIENCE, () -> {
                Response r = get("/connections");
                return r.status() == 200 ? r : null;
            }, () -> safeGet("/connections"));
        } catch (AssertionError e) {
            notReady = e;
            throw e;
        }
    }

    private String safeGet(String path) {
        try {
            return get(path).toString();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private Response send(HttpRequest.Builder request) {
        try {
            var response = client.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
