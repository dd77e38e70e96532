package io.tether.pool.internal.registry;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;

/** A consumer's attachment to an entry. */
final class Handle implements ConnectionHandle {
    private final ConnectionRegistry registry;
    final ConnectionEntry entry;
    private final String refId;
    final StatusListener listener;
    /** Guarded by the registry's lock. */
    boolean attached = true;

    Handle(ConnectionRegistry registry, ConnectionEntry entry, String refId, StatusListener listener) {
        this.registry = registry;
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
        return registry.typeOf(this);
    }

    @Override
    public ConnectionStatus status() {
        return registry.statusOf(this);
    }

    @Override
    public <T> T as(Class<T> type) {
        return type.cast(registry.instanceOf(this, type));
    }

    @Override
    public void reportFailure(String reason) {
        registry.failureReported(this, reason);
    }

    @Override
    public void close() {
        registry.detach(this);
    }
}
