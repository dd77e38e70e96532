package io.tether.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.NodeContext;

/**
 * The rule layer's side of one source or sink, as a test sees it: what it was told (connection statuses) and what it
 * reported (errors). {@link #close()} closes what was opened on it.
 */
public abstract class RecordingContext implements NodeContext, AutoCloseable {
    /** Errors the node reported, in order. */
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** Statuses of the node's connection, in the order it was told them. */
    public final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    private final ConnectionPool pool;
    private final String ruleId;
    private final String operatorId;
    private final List<Runnable> closers = new ArrayList<>();

    protected RecordingContext(ConnectionPool pool, String ruleId, String operatorId) {
        this.pool = pool;
        this.ruleId = ruleId;
        this.operatorId = operatorId;
    }

    @Override
    public String ruleId() {
        return ruleId;
    }

    @Override
    public String operatorId() {
        return operatorId;
    }

    @Override
    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return (id, status) -> statuses.add(status);
    }

    @Override
    public void reportError(Throwable error) {
        errors.add(error);
    }

    /** The states told so far, in order. */
    public List<Status> states() {
        return statuses.stream().map(ConnectionStatus::status).toList();
    }

    /** Runs {@code closer} at {@link #close()}, after the ones registered before it. */
    public void closeWith(Runnable closer) {
        synchronized (closers) {
            closers.add(closer);
        }
    }

    @Override
    public void close() {
        List<Runnable> closing;
        synchronized (closers) {
            closing = List.copyOf(closers);
            closers.clear();
        }
        closing.forEach(Runnable::run);
    }
}
