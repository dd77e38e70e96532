package io.tether.rule.internal.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;

/** A source and sink type "fake" that tests drive by hand: publish into the open sources, read what sinks got. */
final class FakeConnector implements SourceProvider, SinkProvider {
    final List<SourceContext> openSources = new CopyOnWriteArrayList<>();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger openSinks = new AtomicInteger();
    volatile Map<String, Object> lastSourceProps;
    volatile Map<String, Object> lastSinkProps;
    volatile Map<String, Object> lastStateAtOpen;
    volatile String sourceOpenFailure;
    volatile String sinkFailure;
    /** While set, a sink's collect waits for it: a slow sink. */
    volatile CountDownLatch sinkGate;
    /** A sink's collect takes this long: a peer that answers slowly. */
    volatile long sinkDelayMillis;
    final AtomicInteger collecting = new AtomicInteger();
    /** While set, a sink's send fails with a retryable "is not connected"; see {@link #down()}. */
    volatile boolean sinkDown;
    /** While set, a sink's send fails with this permanent error (a 4xx, a constraint violation). */
    volatile String sinkRefusal;
    /** While set, a sink's send completes only when the test {@link #acknowledge}s it: a QoS 1 publish. */
    volatile boolean sinkAcksLater;
    /** Sends awaiting their acknowledgement, with their payloads, oldest first. */
    final Deque<Map.Entry<CompletableFuture<Void>, List<String>>> unacknowledged = new ConcurrentLinkedDeque<>();
    final List<SinkContext> openSinkContexts = new CopyOnWriteArrayList<>();

    @Override
    public Set<String> secretProps() {
        return Set.of();
    }

    /** The sinks' connection drops: they report it and fail their sends, retryably, until {@link #up()}. */
    void down() {
        sinkDown = true;
        reportSinkStatus(Status.DISCONNECTED);
    }

    void up() {
        sinkDown = false;
        reportSinkStatus(Status.CONNECTED);
    }

    private void reportSinkStatus(Status status) {
        openSinkContexts.forEach(context -> context.connectionStatusListener().statusChanged("fake-sink-connection",
                new ConnectionStatus(status, status == Status.CONNECTED ? null : "fake is not connected", 0, 0, 0,
                        List.of(context.ruleId()))));
    }

    /** The oldest {@code count} sends awaiting their acknowledgement get it: their payloads count as sent. */
    void acknowledge(int count) {
        for (int i = 0; i < count; i++) {
            Map.Entry<CompletableFuture<Void>, List<String>> send = unacknowledged.removeFirst();
            sent.addAll(send.getValue());
            send.getKey().complete(null);
        }
    }

    /** The sends awaiting their acknowledgement fail, retryably: the link dropped before they were acknowledged. */
    void loseUnacknowledged() {
        Map.Entry<CompletableFuture<Void>, List<String>> send;
        while ((send = unacknowledged.pollFirst()) != null) {
            send.getKey().completeExceptionally(DeliveryException.retryable("fake lost the publish", null));
        }
    }

    void publish(String json) {
        openSources.forEach(context -> context.emit(
                new RawMessage(json.getBytes(StandardCharsets.UTF_8), Map.of("topic", "t"))));
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return List.of();
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        lastSourceProps = props;
        return new Source() {
            private SourceContext context;

            @Override
            public void open(SourceContext sourceContext) {
                if (sourceOpenFailure != null) {
                    throw new IllegalStateException(sourceOpenFailure);
                }
                context = sourceContext;
                context.connectionStatusListener().statusChanged("fake-connection",
                        new ConnectionStatus(Status.CONNECTED, null, 1000, 0, 900, List.of(context.ruleId())));
                openSources.add(context);
                lastStateAtOpen = context.state();
            }

            @Override
            public void close() {
                openSources.remove(context);
            }
        };
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return props.containsKey("bad") ? List.of(new PropError("bad", "bad is not allowed")) : List.of();
    }

    @Override
    public Sink create(Map<String, Object> props) {
        lastSinkProps = props;
        return new Sink() {
            private SinkContext context;

            @Override
            public void open(SinkContext sinkContext) {
                context = sinkContext;
                openSinks.incrementAndGet();
                openSinkContexts.add(sinkContext);
            }

            @Override
            public CompletionStage<Void> send(List<Map<String, Object>> records) {
                if (sinkDown) {
                    return CompletableFuture.failedFuture(DeliveryException.retryable("fake is not connected", null));
                }
                if (sinkRefusal != null) {
                    return CompletableFuture.failedFuture(DeliveryException.permanent(sinkRefusal, null));
                }
                if (!sinkAcksLater) {
                    return Sink.super.send(records);
                }
                CompletableFuture<Void> acknowledged = new CompletableFuture<>();
                unacknowledged.add(Map.entry(acknowledged, context.encoder().encode(records).stream()
                        .map(p -> new String(p, StandardCharsets.UTF_8)).toList()));
                return acknowledged;
            }

            @Override
            public void collect(List<Map<String, Object>> records) throws InterruptedException {
                collecting.incrementAndGet();
                if (sinkDelayMillis > 0) {
                    Thread.sleep(sinkDelayMillis);
                }
                CountDownLatch gate = sinkGate;
                if (gate != null) {
                    gate.await();
                }
                if (sinkFailure != null) {
                    throw new IllegalStateException(sinkFailure);
                }
                context.encoder().encode(records).forEach(p -> sent.add(new String(p, StandardCharsets.UTF_8)));
            }

            @Override
            public void close() {
                openSinkContexts.remove(context);
                openSinks.decrementAndGet();
            }
        };
    }
}
