package io.tether.pool.internal.registry;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;

/**
 * A consumer's attachment to an entry. {@link #as} and {@link #status} read what the entry publishes and take no
 * lock: a publish on every message never waits for the pool's writers.
 */
final class Handle implements ConnectionHandle {
    private final Attachments attachments;
    final ConnectionEntry entry;
    private final String refId;
    final StatusListener listener;
    /** Changed under the entry machine's lock. */
    volatile boolean attached = true;

    Handle(Attachments attachments, ConnectionEntry entry, String refId, StatusListener listener) {
        this.attachments = attachments;
        this.entry = entry;
        this.refId = refId;
        this.listener = listener;
    }

    @Override
    public String connectionId() {
        return entry.id;
    }

    @Override
    public String refId() {
        return refId;
    }

    @Override
    public String type() {
        return entry.view.typ();
    }

    @Override
    public ConnectionStatus status() {
        return entry.view.status();
    }

    @Override
    public <T> T as(Class<T> type) {
        if (!attached) {
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "handle of connection " + entry.id + " is detached");
        }
        Connection instance = entry.instance;
        if (instance == null) {
            String err = entry.view.status().err();
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "connection " + entry.id + " is not available"
                    + (err == null ? "" : ": " + err));
        }
        if (!type.isInstance(instance)) {
            throw new ConnectionPoolException(Reason.INVALID, "connection " + entry.id + " of type "
                    + entry.view.typ() + " is not a " + type.getName());
        }
        return type.cast(instance);
    }

    @Override
    public void reportFailure(String reason) {
        attachments.failureReported(this);
    }

    @Override
    public void close() {
        attachments.detach(this);
    }
}
