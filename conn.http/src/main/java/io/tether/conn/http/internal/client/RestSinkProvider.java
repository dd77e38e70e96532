package io.tether.conn.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.NodeProps;
import io.tether.conn.http.internal.client.RequestSettings.BodyType;

/**
 * eKuiper's {@value #TYPE} sink on a pooled {@code http} connection: each emission is sent as one request (one per
 * record with {@code sendSingle}, or with {@code bodyType: form}). An emission starts when the one before it is done,
 * so that the server gets them in order; with eKuiper's {@code concurrency} above 1, that many are in flight at once
 * and the order is not kept. Its outcome is known within the connection's {@code timeout} from its start. A 5xx
 * answer or an I/O failure is retryable (the sink cache keeps and resends the emission), a 4xx is permanent.
 * Placeholders in header values take the fields of the request's record (the first record of an emission sent as one
 * array).
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + RestSinkProvider.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + HttpConnectorFactory.SCHEMA})
public final class RestSinkProvider implements SinkProvider {
    public static final String TYPE = "rest";
    static final int MAX_CONCURRENCY = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        NodeProps node = new NodeProps(props).checkConnection(own -> HttpSettings.of(own).problems());
        RequestSettings.of(node, "GET");
        node.integer("concurrency", 1, 1, MAX_CONCURRENCY);
        String format = node.string("format", "json");
        if (!"json".equalsIgnoreCase(format.strip())) {
            node.problem("format", "format " + format + " is not supported by the rest sink: it sends JSON");
        }
        return distinct(node.problems());
    }

    @Override
    public Set<String> secretProps() {
        return Set.of("Authorization", "authorization");
    }

    @Override
    public Sink create(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        RequestSettings request = RequestSettings.of(node, "GET");
        int concurrency = node.integer("concurrency", 1, 1, MAX_CONCURRENCY);
        Map<String, String> headers = request.headersWithContentType();
        return new ConnectedSink<>(HttpConnectorFactory.TYPE, HttpConnection.class, props) {
            /**
             * The outcome of the last emission of each lane: the next one on a lane starts after it, so that with one
             * lane the server gets them in order. Guarded by itself.
             */
            private final List<CompletableFuture<Void>> lanes = new ArrayList<>(
                    Collections.nCopies(concurrency, CompletableFuture.completedFuture(null)));
            private int nextLane;

            @Override
            protected String anonymousKey(SinkContext context) {
                return HttpSettings.of(props).anonymousKey();
            }

            /** {@link #deliver} bounds the outcome by the connection's timeout itself. */
            @Override
            protected Duration outcomeTimeout() {
                return null;
            }

            /**
             * Starts the emission on a free lane, or once the previous one on its lane is done. Emissions queued behind
             * one that failed retryably fail with it, unsent: the rule layer keeps them, in order, and resends them
             * after it.
             */
            @Override
            protected CompletionStage<Void> deliver(HttpConnection connection, List<Map<String, Object>> records)
                    throws DeliveryException {
                synchronized (lanes) {
                    int lane = freeLane();
                    CompletableFuture<Void> outcome = deliver(lanes.get(lane), connection, records);
                    lanes.set(lane, outcome);
                    return outcome;
                }
            }

            /** The first lane with nothing in flight, else the next in turn. */
            private int freeLane() {
                for (int i = 0; i < lanes.size(); i++) {
                    if (lanes.get(i).isDone()) {
                        return i;
                    }
                }
                int lane = nextLane;
                nextLane = (nextLane + 1) % lanes.size();
                return lane;
            }

            private CompletableFuture<Void> deliver(CompletableFuture<Void> previous, HttpConnection connection,
                    List<Map<String, Object>> records) {
                CompletableFuture<Void> outcome;
                if (previous.isDone()) {
                    outcome = start(connection, records);
                } else {
                    outcome = previous.handle((done, failure) -> failure).thenCompose(failure -> {
                        if (failure != null && retryable(failure)) {
                            return CompletableFuture.failedFuture(DeliveryException.retryable("rest sink: held back "
                                    + "to keep the order, as an earlier emission failed: "
                                    + HttpFailures.unwrap(failure).getMessage(), null));
                        }
                        return start(connection, records);
                    });
                }
                return outcome;
            }

            private boolean retryable(Throwable failure) {
                return !(HttpFailures.unwrap(failure) instanceof DeliveryException delivery) || delivery.isRetryable();
            }

            private CompletableFuture<Void> start(HttpConnection connection, List<Map<String, Object>> records) {
                try {
                    return send(connection, records);
                } catch (DeliveryException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            private CompletableFuture<Void> send(HttpConnection connection, List<Map<String, Object>> records)
                    throws DeliveryException {
                URI uri;
                try {
                    uri = connection.resolve(request.url());
                } catch (IllegalArgumentException e) {
                    throw DeliveryException.permanent("rest sink: " + e.getMessage(), null);
                }
                long deadline = System.nanoTime() + connection.settings().timeout().toNanos();
                List<Part> parts = parts(request.bodyType(), records, context().encoder().encode(records));
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                for (Part part : parts) {
                    chain = chain.thenCompose(done -> sendOne(connection, uri, part, deadline));
                }
                return chain;
            }

            private CompletableFuture<Void> sendOne(HttpConnection connection, URI uri, Part part, long deadline) {
                long left = Math.max(1, deadline - System.nanoTime());
                return connection.send(request.method(), uri, part.body(), headers,
                        Placeholders.in(part.record()), Duration.ofNanos(left)).handle((response, failure) -> {
                            try {
                                if (failure != null) {
                                    throw failed(uri, failure);
                                }
                                Responses.check(request.method(), uri, response, request.responseType());
                                return null;
                            } catch (DeliveryException e) {
                                throw new CompletionException(e);
                            }
                        });
            }

            private DeliveryException failed(URI uri, Throwable failure) {
                Throwable cause = HttpFailures.unwrap(failure);
                String message = "rest sink: " + Responses.describe(request.method(), uri) + ": "
                        + HttpFailures.describe(cause);
                if (!(cause instanceof ConnectionException) && handle() != null) {
                    handle().reportFailure(message);
                }
                // token failures are retryable too: the record is not at fault, and is sent once tokens come
                return DeliveryException.retryable(message, null);
            }
        };
    }

    /** One request's body and the record its header placeholders read. */
    private record Part(HttpRequest.BodyPublisher body, Map<String, Object> record) {
    }

    private static List<Part> parts(BodyType bodyType, List<Map<String, Object>> records, List<byte[]> payloads) {
        if (bodyType == BodyType.FORM) {
            return records.stream().map(record -> new Part(
                    HttpRequest.BodyPublishers.ofString(form(record), UTF_8), record)).toList();
        }
        Map<String, Object> first = records.isEmpty() ? Map.of() : records.get(0);
        return IntStream.range(0, payloads.size()).mapToObj(i -> new Part(
                bodyType == BodyType.NONE ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(payloads.get(i)),
                payloads.size() == records.size() ? records.get(i) : first)).toList();
    }

    /** A record's fields as a form: nested values as their JSON. */
    private static String form(Map<String, Object> record) {
        return record.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), UTF_8) + "="
                + URLEncoder.encode(text(field.getValue()), UTF_8)).collect(Collectors.joining("&"));
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map || value instanceof Iterable) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    /** Problems once each: the node's props are also the anonymous connection's, checked twice. */
    static List<PropError> distinct(List<PropError> problems) {
        return problems.stream().distinct().toList();
    }
}
