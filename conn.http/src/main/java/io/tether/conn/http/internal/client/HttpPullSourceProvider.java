package io.tether.conn.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.Acceptance;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.NodeProps;
import io.tether.conn.http.internal.client.RequestSettings.BodyType;

/**
 * eKuiper's {@value #TYPE} source on a pooled {@code http} connection: every {@code interval} ms (after the previous poll ended: a slow server is not polled in bursts) it requests
 * {@code url} followed by the datasource path and hands the answer's body on, decoded by the stream's FORMAT, with
 * {@code method}, {@code url} and {@code status} as metadata. With {@code incremental}, a body equal to the last one
 * handed on is skipped. A failed poll (the connection down, an I/O failure, a refusing answer) is counted and the
 * next interval tries again. Each source polls on a thread of its own, which waits for room in its rule (a poll
 * cannot be acknowledged: a record with no room within one interval is dropped, counted).
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + HttpPullSourceProvider.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + HttpConnectorFactory.SCHEMA})
public final class HttpPullSourceProvider implements SourceProvider {
    public static final String TYPE = "httppull";
    static final int DEFAULT_INTERVAL_MILLIS = 10_000;

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        NodeProps node = new NodeProps(props).checkConnection(own -> HttpSettings.of(own).problems());
        RequestSettings.of(node, "GET");
        node.integer("interval", DEFAULT_INTERVAL_MILLIS, 10, Integer.MAX_VALUE);
        node.bool("incremental", false);
        node.string("body", null);
        return RestSinkProvider.distinct(node.problems());
    }

    @Override
    public Set<String> secretProps() {
        return Set.of("Authorization", "authorization");
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        return new PullSource(datasource == null ? "" : datasource.strip(), props, RequestSettings.of(node, "GET"),
                Duration.ofMillis(node.integer("interval", DEFAULT_INTERVAL_MILLIS, 10, Integer.MAX_VALUE)),
                node.bool("incremental", false), node.string("body", null));
    }

    private static final class PullSource implements Source {
        private final String datasource;
        private final Map<String, Object> props;
        private final RequestSettings request;
        private final Duration interval;
        private final boolean incremental;
        private final String body;
        private final Map<String, String> headers;
        private SourceContext context;
        private volatile ConnectionHandle handle;
        private ScheduledExecutorService poller;
        private volatile CompletableFuture<HttpResponse<byte[]>> polling;
        /** The digest of the last body handed on; only the poller's thread touches it. */
        private byte[] lastDigest;

        PullSource(String datasource, Map<String, Object> props, RequestSettings request, Duration interval,
                boolean incremental, String body) {
            this.datasource = datasource;
            this.props = props;
            this.request = request;
            this.interval = interval;
            this.incremental = incremental;
            this.body = body;
            this.headers = body == null ? request.headers() : request.headersWithContentType();
        }

        @Override
        public void open(SourceContext sourceContext) {
            context = sourceContext;
            String key = NodeProps.usesNamedConnection(props) ? "" : HttpSettings.of(props).anonymousKey();
            handle = context.pool().attach(context.ruleId(), key, HttpConnectorFactory.TYPE, props,
                    context.connectionStatusListener());
            String name = "tether-httppull-" + context.ruleId() + "-" + context.operatorId();
            poller = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, name));
            poller.scheduleWithFixedDelay(this::poll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void poll() {
            ConnectionHandle attached = handle;
            if (attached == null) {
                return;
            }
            try {
                ConnectionStatus status = attached.status();
                if (status.status() == Status.CONNECTING && status.err() == null) {
                    return; // the first dial: nothing has failed yet
                }
                if (status.status() != Status.CONNECTED) {
                    throw new IOException("http connection " + attached.connectionId() + " is "
                            + status.status().text() + (status.err() == null ? "" : ": " + status.err()));
                }
                HttpConnection connection = attached.as(HttpConnection.class);
                URI uri = HttpConnection.append(connection.resolve(request.url()), datasource);
                HttpResponse<byte[]> response = fetch(connection, uri);
                Responses.check(request.method(), uri, response, request.responseType());
                hand(response.body(), Responses.meta(request.method(), uri, response));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | DeliveryException | ConnectionPoolException | IllegalArgumentException e) {
                context.reportError(new IOException("httppull: " + e.getMessage(), null));
            } catch (RuntimeException e) {
                context.reportError(e);
            }
        }

        private HttpResponse<byte[]> fetch(HttpConnection connection, URI uri) throws IOException,
                InterruptedException {
            HttpRequest.BodyPublisher publisher = body == null || request.bodyType() == BodyType.NONE
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, UTF_8);
            CompletableFuture<HttpResponse<byte[]>> outcome = connection.send(request.method(), uri, publisher,
                    headers, field -> null);
            polling = outcome;
            String what = Responses.describe(request.method(), uri);
            try {
                // the outcome is bounded by the connection's timeout; the margin only covers its completion
                return outcome.get(connection.settings().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                String reason = what + ": " + HttpFailures.describe(e);
                handle.reportFailure(reason);
                throw new IOException(reason);
            } finally {
                polling = null;
            }
        }

        private void hand(byte[] payload, Map<String, Object> meta) throws InterruptedException {
            byte[] digest = incremental ? digest(payload) : null;
            if (incremental && Arrays.equals(digest, lastDigest)) {
                return;
            }
            if (context.offer(new RawMessage(payload, meta), interval) == Acceptance.ACCEPTED) {
                lastDigest = digest;
            }
        }

        private static byte[] digest(byte[] payload) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(payload);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            ScheduledExecutorService stopping = poller;
            if (stopping != null) {
                stopping.shutdownNow();
            }
            CompletableFuture<HttpResponse<byte[]>> inFlight = polling;
            if (inFlight != null) {
                inFlight.cancel(true);
            }
            if (stopping != null) {
                try {
                    stopping.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ConnectionHandle attached = handle;
            handle = null;
            if (attached != null) {
                attached.close();
            }
        }
    }
}
