package io.tether.api.kit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;

/**
 * A sink that sends through a pooled connection of its type. It attaches in {@link #open} (to the named connection
 * of {@code connectionSelector}, else to the anonymous one under {@link #anonymousKey}) and detaches in
 * {@link #close}. For each emission, {@link #send}:
 * <ol>
 * <li>fails at once, retryable, while the connection is not {@code connected} ({@code <type> connection <id> is
 * disconnected: <err>}): it never waits for a connection, and the rule layer holds or caches the emission and sends
 * it again once the connection is back;</li>
 * <li>otherwise hands the records to {@link #deliver} with the current connection instance;</li>
 * <li>fails the outcome as retryable when it has not come within {@link #outcomeTimeout()};</li>
 * <li>turns every failure into a {@link DeliveryException}: one the subclass threw is kept as it is; a
 * {@link ConnectionException} is retryable when it says so; an {@link IOException}, a {@link TimeoutException}
 * or a {@link ConnectionPoolException} (no live instance) is retryable; anything else is permanent (the rule
 * layer counts it and never sends the emission again).</li>
 * </ol>
 *
 * @param <C> the connector's connection class, as the factory creates it ({@link ConnectionHandle#as})
 */
public abstract class ConnectedSink<C> implements Sink {
    private final String type;
    private final Class<C> connectionClass;
    private final Map<String, Object> connectionProps;
    private SinkContext context;
    private volatile ConnectionHandle handle;

    /**
     * @param type            the connection type
     * @param connectionClass what the type's connections are, to reach the instance through the handle
     * @param connectionProps the props to attach with: {@code connectionSelector}, or the anonymous connection's
     */
    protected ConnectedSink(String type, Class<C> connectionClass, Map<String, Object> connectionProps) {
        this.type = Objects.requireNonNull(type, "type");
        this.connectionClass = Objects.requireNonNull(connectionClass, "connectionClass");
        this.connectionProps = Map.copyOf(connectionProps);
    }

    /** The key of the anonymous connection, when the props name none: see {@link AnonymousKeys}. */
    protected abstract String anonymousKey(SinkContext context);

    /**
     * Sends one emission on the connection, which was {@code connected} a moment ago. Synchronous work must be
     * bounded (by {@link SinkContext#sendTimeout()}, passed to the client): the rule's worker runs it.
     *
     * @return completes once the peer has the emission (at once for a sink that knows when this returns)
     * @throws Exception when the emission failed: sorted into retryable and permanent as the class says
     */
    protected abstract CompletionStage<Void> deliver(C connection, List<Map<String, Object>> records)
            throws Exception;

    /**
     * How long an outcome may take after {@link #deliver} returned: the context's send timeout. A sink whose outcome
     * may come much later by design (after a reconnect) returns {@code null}: no limit.
     */
    protected Duration outcomeTimeout() {
        return context.sendTimeout();
    }

    @Override
    public void open(SinkContext sinkContext) throws Exception {
        context = sinkContext;
        String key = NodeProps.usesNamedConnection(connectionProps) ? "" : anonymousKey(sinkContext);
        handle = sinkContext.pool().attach(sinkContext.ruleId(), key, type, connectionProps,
                sinkContext.connectionStatusListener());
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        CompletableFuture<Void> outcome;
        try {
            outcome = deliver(connection(), records).toCompletableFuture();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(classify(e));
        }
        Duration limit = outcome.isDone() ? null : outcomeTimeout();
        CompletableFuture<Void> limited = limit == null ? outcome
                : outcome.copy().orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
        return limited.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                outcome.isDone() ? classify(failure) : timedOut(limit)));
    }

    /** As {@link #send}, waiting for the outcome at most the context's send timeout. */
    @Override
    public void collect(List<Map<String, Object>> records) throws Exception {
        Duration limit = context.sendTimeout();
        try {
            send(records).toCompletableFuture().get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw timedOut(limit);
        }
    }

    /** Detaches from the connection. */
    @Override
    public void close() {
        ConnectionHandle attached = handle;
        handle = null;
        if (attached != null) {
            attached.close();
        }
    }

    protected SinkContext context() {
        return context;
    }

    /** The handle while the sink is open, e.g. to {@link ConnectionHandle#reportFailure} a broken link. */
    protected ConnectionHandle handle() {
        return handle;
    }

    /**
     * The current connection instance, if the connection is {@code connected}.
     *
     * @throws DeliveryException retryable, when it is not (or the sink is not open)
     */
    protected C connection() throws DeliveryException {
        ConnectionHandle attached = handle;
        if (attached == null) {
            throw DeliveryException.retryable(type + " sink is not open", null);
        }
        ConnectionStatus status = attached.status();
        if (status.status() != Status.CONNECTED) {
            throw DeliveryException.retryable(type + " connection " + attached.connectionId() + " is "
                    + status.status().text() + (status.err() == null ? "" : ": " + status.err()), null);
        }
        try {
            return attached.as(connectionClass);
        } catch (ConnectionPoolException e) {
            throw DeliveryException.retryable(e.getMessage(), e);
        }
    }

    /** The failure as a {@link DeliveryException}, retryable or permanent as the class documentation says. */
    protected DeliveryException classify(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DeliveryException delivery) {
            return delivery;
        }
        boolean retryable = cause instanceof ConnectionException connection ? connection.isRetryable()
                : cause instanceof IOException || cause instanceof TimeoutException
                        || cause instanceof ConnectionPoolException;
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new DeliveryException(type + " sink: " + reason, retryable, cause);
    }

    private DeliveryException timedOut(Duration limit) {
        return DeliveryException.retryable(type + " sink: no outcome within " + limit.toMillis() + " ms", null);
    }
}
