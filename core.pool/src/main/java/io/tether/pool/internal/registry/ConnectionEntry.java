package io.tether.pool.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.Status;
import io.tether.pool.internal.dial.Backoff;

/**
 * One connection's state. Every field is guarded by the registry's lock. The generation number identifies the
 * current instance: it changes whenever the instance is replaced, parked or closed, so that work and events of an
 * older instance are recognised and dropped.
 */
final class ConnectionEntry {
    final String id;
    final boolean named;
    /** The anonymous connection's key in the registry, {@code null} for a named one. */
    final String key;
    final SerialExecutor notifier;
    final List<Handle> handles = new ArrayList<>();

    String typ;
    Map<String, Object> props;

    long generation;
    ConnectorFactory factory;
    Connection instance;
    EntryState state = EntryState.PARKED;
    boolean instanceEverConnected;
    int failedAttempts;
    /** The pool's backoff, or the connection's own (SPEC §3); set when an instance starts. */
    Backoff backoff;
    /** The connector asked for a dial at once while one was in flight: if that one fails, dial again at once. */
    boolean retryAfterDial;
    /** A loss the instance reported while a dial was in flight; fails that dial. */
    String lostDuringDial;
    ScheduledFuture<?> pending;

    String err;
    long lastConnected;
    long lastDisconnected;
    long lastTry;
    /** What listeners were last told, to tell them only of changes. */
    private Status publishedStatus;
    private String publishedErr;

    ConnectionEntry(String id, boolean named, String key, String typ, Map<String, Object> props, Executor executor) {
        this.id = id;
        this.named = named;
        this.key = key;
        this.typ = typ;
        this.props = props;
        this.notifier = new SerialExecutor(executor);
    }

    Status status() {
        return switch (state) {
            case CONNECTED -> Status.CONNECTED;
            case DIALING -> Status.CONNECTING;
            case WAITING -> instanceEverConnected ? Status.CONNECTING : Status.DISCONNECTED;
            case PARKED, MISSING_RESOURCE, LOST, FAILED, CLOSED -> Status.DISCONNECTED;
        };
    }

    ConnectionStatus snapshot() {
        List<String> refs = new ArrayList<>(handles.size());
        handles.forEach(handle -> refs.add(handle.refId()));
        refs.sort(null);
        return new ConnectionStatus(status(), err, lastConnected, lastDisconnected, lastTry, refs);
    }

    /** {@code true} when the status or error differs from what listeners were last told; records it as told. */
    boolean markPublished() {
        Status status = status();
        if (status == publishedStatus && Objects.equals(err, publishedErr)) {
            return false;
        }
        publishedStatus = status;
        publishedErr = err;
        return true;
    }

    List<String> distinctRefs() {
        return handles.stream().map(Handle::refId).distinct().sorted().toList();
    }

    void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
