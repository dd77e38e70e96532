package io.tether.pool.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.Status;
import io.tether.pool.internal.dial.Backoff;

/**
 * One connection's state. Every mutable field is guarded by the {@link EntryMachine}'s lock. The generation number
 * identifies the current instance: it changes whenever the instance is replaced, parked or closed, so that work and
 * events of an older instance are recognised and dropped. Readers ({@code GET /connections}, a handle's status and
 * instance) take no lock: they read {@link #view} and {@link #instance}, which the lock's holder replaces whole.
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
    /** The type an update in progress is writing to the store; consumers of another type are refused meanwhile. */
    String pendingTyp;
    /** A delete in progress is writing the store: the connection takes no new consumers. */
    boolean deleting;

    long generation;
    /** The factory the entry was last started with, {@code null} when it was parked. */
    ConnectorFactory chosen;
    /** The factory of the current instance; {@code null} while no instance is to be dialled. */
    ConnectorFactory factory;
    volatile Connection instance;
    EntryState state = EntryState.PARKED;
    boolean instanceEverConnected;
    int failedAttempts;
    /** The pool's backoff, or the connection's own (SPEC §3). */
    Backoff backoff;
    /** The connector asked for a dial at once while one was in flight: if that one fails, dial again at once. */
    boolean retryAfterDial;
    /** A dial was due while a ping ran: it runs when the ping returns (dial and ping are never concurrent). */
    boolean dialAfterOperation;
    /** A loss the instance reported while a dial was in flight; fails that dial. */
    String lostDuringDial;
    ScheduledFuture<?> pending;
    /** The dial or ping running on the current instance. */
    Operation operation;
    /** A dial or ping abandoned after its time limit whose thread has not come back yet; no new dial meanwhile. */
    Operation abandoned;

    String err;
    long lastConnected;
    long lastDisconnected;
    long lastTry;
    /** What readers see: props masked, status with refs and masked error. */
    volatile ConnectionInfo view;
    /** What listeners were last told, to tell them only of changes. */
    private Status publishedStatus;
    private String publishedErr;

    /** A dial or a ping in flight, on the thread that runs it. */
    static final class Operation {
        final String kind;
        final Thread thread;
        final long generation;
        final long timeoutMillis;
        ScheduledFuture<?> watchdog;
        boolean ended;
        boolean overran;

        Operation(String kind, Thread thread, long generation, long timeoutMillis) {
            this.kind = kind;
            this.thread = thread;
            this.generation = generation;
            this.timeoutMillis = timeoutMillis;
        }
    }

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

    ConnectionStatus snapshot(String shownErr) {
        List<String> refs = new ArrayList<>(handles.size());
        handles.forEach(handle -> refs.add(handle.refId()));
        refs.sort(null);
        return new ConnectionStatus(status(), shownErr, lastConnected, lastDisconnected, lastTry, refs);
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
