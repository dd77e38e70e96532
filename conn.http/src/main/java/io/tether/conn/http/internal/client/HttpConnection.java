package io.tether.conn.http.internal.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;

/**
 * One pooled HTTP client: its settings (base URL, headers, timeout, TLS, OAuth) over the connector's Java client of
 * that TLS setting. Stateless: the pool pings it with a bounded {@code HEAD} of its url (a {@code GET} when the
 * server does not allow {@code HEAD}); any HTTP answer means the server is there. Closing it cancels its requests in
 * flight, the dial's included.
 */
public final class HttpConnection implements Connection {
    private static final Duration MARGIN = Duration.ofMillis(200);

    private final HttpSettings settings;
    private final JavaClients clients;
    private final ConnectionContext context;
    private final OAuthTokens tokens;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile HttpClient client;
    private volatile boolean closed;

    HttpConnection(HttpSettings settings, JavaClients clients, ConnectionContext context) {
        this.settings = settings;
        this.clients = clients;
        this.context = context;
        this.tokens = settings.oauth() == null ? null
                : new OAuthTokens(settings.oauth(), this::exchange, System::nanoTime);
    }

    public HttpSettings settings() {
        return settings;
    }

    /** Obtains the client (and the OAuth tokens), then checks that the server answers, within the dial's time. */
    @Override
    public void dial() throws ConnectionException {
        client = clients.client(settings);
        Duration limit = bound(context.dialTimeout());
        if (tokens != null) {
            await(tokens.fields(), limit, "oauth tokens");
        }
        probe(limit);
    }

    @Override
    public void ping() throws ConnectionException {
        probe(bound(context.pingTimeout()));
    }

    /** A wait a little shorter than the pool's, so that a failure says the client's reason; at most the timeout. */
    private Duration bound(Duration poolLimit) {
        Duration own = poolLimit.compareTo(MARGIN.multipliedBy(5)) > 0 ? poolLimit.minus(MARGIN) : poolLimit;
        return own.compareTo(settings.timeout()) < 0 ? own : settings.timeout();
    }

    private void probe(Duration limit) throws ConnectionException {
        HttpResponse<byte[]> answer = await(send("HEAD", settings.url(), HttpRequest.BodyPublishers.noBody(),
                Map.of(), field -> null, limit), limit, Responses.describe("HEAD", settings.url()));
        if (answer.statusCode() == 405 || answer.statusCode() == 501) {
            await(send("GET", settings.url(), HttpRequest.BodyPublishers.noBody(), Map.of(), field -> null, limit),
                    limit, Responses.describe("GET", settings.url()));
        }
    }

    private <T> T await(CompletableFuture<T> outcome, Duration limit, String what) throws ConnectionException {
        try {
            return outcome.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            outcome.cancel(true);
            Thread.currentThread().interrupt();
            throw ConnectionException.io(what + ": interrupted", null);
        } catch (TimeoutException e) {
            outcome.cancel(true);
            throw ConnectionException.io(what + ": no answer within " + limit.toMillis() + " ms", null);
        } catch (CancellationException e) {
            throw ConnectionException.io(what + ": the connection was closed", null);
        } catch (ExecutionException e) {
            Throwable cause = HttpFailures.unwrap(e);
            if (cause instanceof ConnectionException failure) {
                throw failure;
            }
            throw ConnectionException.io(what + ": " + HttpFailures.describe(cause), null);
        }
    }

    /**
     * The URL of a node's request: its own when absolute (it must be on this connection's server, whose headers and
     * tokens it gets), else this connection's url followed by the node's path.
     *
     * @throws IllegalArgumentException when an absolute URL names another server
     */
    public URI resolve(String urlOrPath) {
        if (urlOrPath == null || urlOrPath.isBlank()) {
            return settings.url();
        }
        URI given = URI.create(urlOrPath.strip());
        if (given.isAbsolute()) {
            if (!HttpSettings.origin(given).equalsIgnoreCase(settings.origin())) {
                throw new IllegalArgumentException("url " + HttpSettings.origin(given) + "… is not on the server of "
                        + "the connection, " + settings.origin());
            }
            return given;
        }
        return append(settings.url(), urlOrPath.strip());
    }

    /** {@code base} followed by {@code path}, with one {@code /} between them. */
    public static URI append(URI base, String path) {
        if (path == null || path.isEmpty()) {
            return base;
        }
        String text = base.toString();
        if (text.endsWith("/") && path.startsWith("/")) {
            return URI.create(text + path.substring(1));
        }
        return URI.create(text.endsWith("/") || path.startsWith("/") || path.startsWith("?") ? text + path
                : text + "/" + path);
    }

    /**
     * Sends a request with the connection's headers, the node's headers over them, and the OAuth token; placeholders
     * of header values take the record's fields, then the token answer's. Never waits: the outcome completes within
     * {@code limit} (the connection's timeout for nodes), token renewal included, and fails with an
     * {@link IOException} (retryable), a {@link java.util.concurrent.TimeoutException} or a
     * {@link ConnectionException} of the token request.
     */
    public CompletableFuture<HttpResponse<byte[]>> send(String method, URI uri, HttpRequest.BodyPublisher body,
            Map<String, String> nodeHeaders, Function<String, Object> record, Duration limit) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException(this + " is closed"));
        }
        CompletableFuture<Map<String, Object>> tokenFields = tokens == null
                ? CompletableFuture.completedFuture(Map.of()) : tokens.fields();
        CompletableFuture<HttpResponse<byte[]>> outcome = tokenFields.thenCompose(fields -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body).timeout(limit);
            Headers.apply(request, settings.headers(), nodeHeaders, record, fields);
            return exchange(request.build());
        }).thenApply(response -> {
            if (response.statusCode() == 401 && tokens != null) {
                tokens.invalidate();
            }
            return response;
        });
        return track(outcome).orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The convenience of {@link #send} with the connection's timeout. */
    public CompletableFuture<HttpResponse<byte[]>> send(String method, URI uri, HttpRequest.BodyPublisher body,
            Map<String, String> nodeHeaders, Function<String, Object> record) {
        return send(method, uri, body, nodeHeaders, record, settings.timeout());
    }

    private CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest request) {
        HttpClient using = client;
        if (closed || using == null) {
            return CompletableFuture.failedFuture(new IOException(this + " is closed"));
        }
        HttpRequest bounded = request.timeout().isPresent() ? request
                : HttpRequest.newBuilder(request, (name, value) -> true).timeout(settings.timeout()).build();
        return track(using.sendAsync(bounded, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> request) {
        inFlight.add(request);
        request.whenComplete((result, failure) -> inFlight.remove(request));
        if (closed) {
            request.cancel(true);
        }
        return request;
    }

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> request : inFlight) {
            request.cancel(true);
        }
    }

    @Override
    public String toString() {
        return "http connection " + context.connectionId() + " to " + settings.origin();
    }
}
