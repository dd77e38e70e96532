package io.tether.pool.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.StatusListener;
import io.tether.api.connection.StatusSink;
import io.tether.pool.internal.dial.BackoffProps;
import io.tether.pool.internal.registry.ConnectionEntry.Operation;

/**
 * The entries and their state machine (DESIGN.md, "A connection entry's life"): starting, dialling with a time
 * limit, backoff, pings, link losses, retiring instances. This object's monitor guards every entry's state and is
 * held only for memory updates: dials, pings and closes run on the workers, timers on the timer executor, listeners
 * on each entry's serial notifier, all outside it. Readers use {@link #entries} and each entry's view without it.
 * The recorders (status events, metrics) are told of a change under it, before readers can see the change, so that
 * what they keep is never behind what a reader saw, and is in the order of the changes across entries (a connection
 * deleted and created again under the same id).
 */
final class EntryMachine {
    private static final Logger LOG = LoggerFactory.getLogger(EntryMachine.class);
    private static final String DIAL = "dial";
    private static final String PING = "ping";

    private final FactoryTable factories;
    private final PoolObserver recorders;
    private final PoolObserver followers;
    private final ScheduledExecutorService timers;
    final ExecutorService workers;
    private final DoubleSupplier random;
    private final LongSupplier clock;
    private volatile ConnectionRegistry.Settings settings;

    /** Every entry by id; changed under the lock, read without it. */
    final Map<String, ConnectionEntry> entries = new ConcurrentHashMap<>();
    /** Ids of named connections being created (their store write in flight); guarded by the lock. */
    final Set<String> reserved = new HashSet<>();
    private boolean closed;

    EntryMachine(ConnectionRegistry.Settings settings, FactoryTable factories, PoolObserver recorders,
            PoolObserver followers, ScheduledExecutorService timers, ExecutorService workers, DoubleSupplier random,
            LongSupplier clock) {
        this.settings = settings;
        this.factories = factories;
        this.recorders = recorders;
        this.followers = followers;
        this.timers = timers;
        this.workers = workers;
        this.random = random;
        this.clock = clock;
    }

    ConnectionRegistry.Settings settings() {
        return settings;
    }

    /** New timings apply from the next delay, ping or dial on; no connection is closed. */
    synchronized void reconfigure(ConnectionRegistry.Settings next) {
        boolean newPingInterval = !next.pingInterval().equals(settings.pingInterval());
        settings = next;
        for (ConnectionEntry entry : entries.values()) {
            if (entry.backoff != null) {
                entry.backoff = BackoffProps.backoff(entry.props, next.backoff());
            }
            if (newPingInterval && entry.state == EntryState.CONNECTED && entry.operation == null
                    && entry.pending != null) {
                entry.cancelPending();
                schedulePing(entry, entry.generation);
            }
        }
    }

    synchronized void requireOpen() {
        if (closed) {
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "the connection pool is stopped");
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- entries (callers hold the lock)

    ConnectionEntry newEntry(String id, boolean named, String key, String typ, Map<String, Object> props) {
        ConnectionEntry entry = new ConnectionEntry(id, named, key, typ, Map.copyOf(props), workers);
        refresh(entry);
        entries.put(id, entry);
        return entry;
    }

    /** Closes the current instance (if any, in the background) and starts a new one, or parks the entry. */
    void restart(ConnectionEntry entry) {
        closeInBackground(entry.id, retireInstance(entry));
        start(entry);
    }

    void start(ConnectionEntry entry) {
        ConnectorFactory factory = factories.best(entry.typ);
        entry.chosen = factory;
        if (factory == null) {
            entry.state = EntryState.PARKED;
            entry.err = "connector type '" + entry.typ + "' is not installed"
                    + (factories.runtimeStarting() ? " yet (the runtime is starting)" : "");
            publish(entry);
            return;
        }
        List<PropError> problems = problems(entry.typ, factory, entry.id, entry.props);
        if (!problems.isEmpty()) {
            entry.state = EntryState.FAILED;
            entry.err = invalidProps(problems);
            publish(entry);
            return;
        }
        long generation = ++entry.generation;
        entry.factory = factory;
        entry.backoff = BackoffProps.backoff(entry.props, settings.backoff());
        entry.instanceEverConnected = false;
        entry.failedAttempts = 0;
        entry.state = EntryState.DIALING;
        publish(entry);
        submit(() -> dial(entry, generation));
    }

    /** The runtime has started: entries still waiting for their type say it is not installed, without "yet". */
    synchronized void runtimeStarted() {
        entries.values().stream().filter(entry -> entry.state == EntryState.PARKED).toList().forEach(this::start);
    }

    /** Restarts the entries of a type whose best factory is not the one they were started with. */
    synchronized void factoryChanged(String typ) {
        ConnectorFactory best = factories.best(typ);
        entries.values().stream()
                .filter(entry -> entry.typ.equals(typ) && entry.chosen != best)
                .forEach(this::restart);
        entries.values().stream().filter(entry -> entry.typ.equals(typ)).forEach(this::refresh);
    }

    /** Makes the current instance an old one: its work and events are dropped from now on. The caller closes it. */
    Connection retireInstance(ConnectionEntry entry) {
        entry.generation++;
        entry.cancelPending();
        entry.operation = null;
        entry.dialAfterOperation = false;
        if (entry.state == EntryState.CONNECTED) {
            entry.lastDisconnected = clock.getAsLong();
        }
        Connection old = entry.instance;
        entry.instance = null;
        entry.factory = null;
        return old;
    }

    /** Removes the entry; returns its instance for the caller to close, off the lock, if it had one. */
    Connection remove(ConnectionEntry entry) {
        Connection instance = retireInstance(entry);
        entry.state = EntryState.CLOSED;
        ConnectionInfo last = entry.view;
        long generation = entry.generation;
        record(entry.id, () -> recorders.removed(last, generation));
        entries.remove(entry.id);
        entry.notifier.execute(() -> followers.removed(last, generation));
        return instance;
    }

    void closeInBackground(String id, Connection instance) {
        if (instance != null) {
            submit(() -> closeQuietly(id, instance));
        }
    }

    // ---------------------------------------------------------------- validation

    /**
     * The pool's own props (backoff, dial time limit) are checked here; the rest by the type's schema, then, when
     * they conform to it, by the connector.
     */
    List<PropError> problems(String typ, ConnectorFactory factory, String id, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>(BackoffProps.problems(props, settings.backoff()));
        Map<String, Object> connectorProps = BackoffProps.connectorProps(props);
        List<PropError> declared = schemaProblems(typ, SchemaPart.CONNECTION, connectorProps);
        if (!declared.isEmpty()) {
            problems.addAll(declared);
            return problems;
        }
        List<PropError> connectors = id == null ? factory.validate(connectorProps)
                : factory.validate(id, connectorProps);
        for (PropError problem : connectors) {
            problems.add(new PropError(problem.prop(), SecretMasker.maskText(problem.message())));
        }
        return problems;
    }

    /** The props' problems against the part of the type's schema; none when the type declares no schema. */
    List<PropError> schemaProblems(String typ, SchemaPart part, Map<String, Object> props) {
        return factories.schema(typ).map(schema -> schema.validate(part, props)).orElse(List.of()).stream()
                .map(problem -> new PropError(problem.prop(), SecretMasker.maskText(problem.message())))
                .toList();
    }

    static String invalidProps(List<PropError> problems) {
        return "invalid props: " + problems.stream()
                .map(problem -> problem.prop().isEmpty() ? problem.message()
                        : problem.prop() + ": " + problem.message())
                .collect(Collectors.joining("; "));
    }

    // ---------------------------------------------------------------- dialling

    private void dial(ConnectionEntry entry, long generation) {
        Connection instance;
        ConnectorFactory factory;
        Operation operation;
        synchronized (this) {
            if (entry.generation != generation || closed || entry.state == EntryState.CONNECTED) {
                return;
            }
            if (entry.operation != null) {
                entry.dialAfterOperation = true;
                return;
            }
            if (entry.abandoned != null) {
                scheduleDial(entry, generation);
                return;
            }
            entry.lastTry = clock.getAsLong();
            entry.lostDuringDial = null;
            entry.retryAfterDial = false;
            entry.state = EntryState.DIALING;
            publish(entry);
            instance = entry.instance;
            factory = entry.factory;
            operation = begin(entry, DIAL, generation,
                    BackoffProps.dialTimeout(entry.props, settings.dialTimeout()).toMillis());
        }
        String failure = null;
        boolean retryable = true;
        boolean missingResource = false;
        try {
            if (instance == null) {
                instance = factory.create(BackoffProps.connectorProps(entry.props), new Context(entry, generation));
                if (!adopt(entry, generation, instance)) {
                    closeQuietly(entry.id, instance);
                    return;
                }
            }
            instance.dial();
        } catch (ConnectionException e) {
            failure = messageOf(e);
            retryable = e.isRetryable();
            missingResource = e.isMissingResource();
        } catch (RuntimeException e) {
            LOG.warn("Connector {} failed to dial connection {}", entry.typ, entry.id, SecretMasker.forLog(e));
            failure = messageOf(e);
        } finally {
            end(entry, operation);
        }
        if (failure == null) {
            connected(entry, generation);
        } else {
            dialFailed(entry, generation, failure, retryable, missingResource);
        }
    }

    private synchronized boolean adopt(ConnectionEntry entry, long generation, Connection instance) {
        if (entry.generation != generation) {
            return false;
        }
        entry.instance = instance;
        return true;
    }

    /** Starts timing a dial or ping of the current instance; it is abandoned when it overruns its limit. */
    private Operation begin(ConnectionEntry entry, String kind, long generation, long timeoutMillis) {
        Operation operation = new Operation(kind, Thread.currentThread(), generation, timeoutMillis);
        entry.operation = operation;
        operation.watchdog = schedule(() -> overran(entry, operation), timeoutMillis);
        return operation;
    }

    /** The dial or ping returned (or threw): its thread is the pool's again. */
    private synchronized void end(ConnectionEntry entry, Operation operation) {
        operation.ended = true;
        if (operation.watchdog != null) {
            operation.watchdog.cancel(false);
        }
        if (operation.overran) {
            if (workers instanceof WorkerPool pool) {
                pool.removeStandIn();
            }
            if (entry.abandoned == operation) {
                entry.abandoned = null;
            }
            LOG.info("The abandoned {} of connection {} returned", operation.kind, entry.id);
            return;
        }
        if (entry.operation == operation) {
            entry.operation = null;
            if (entry.dialAfterOperation) {
                entry.dialAfterOperation = false;
                long generation = entry.generation;
                submit(() -> dial(entry, generation));
            }
        }
    }

    /**
     * A dial or ping ran past its time limit: it is abandoned. Its thread is interrupted and its instance closed
     * (which must abort it), the failure reported, and a fresh instance dialled after the backoff. The abandoned
     * thread gets a stand-in in the worker pool until it comes back.
     */
    private void overran(ConnectionEntry entry, Operation operation) {
        Connection abandonedInstance = null;
        synchronized (this) {
            if (operation.ended) {
                return;
            }
            operation.overran = true;
            if (workers instanceof WorkerPool pool) {
                pool.addStandIn();
            }
            operation.thread.interrupt();
            String reason = operation.kind + " did not finish within " + operation.timeoutMillis + " ms";
            LOG.warn("Connection {}: {}; abandoned", entry.id, reason);
            if (entry.operation == operation) {
                entry.abandoned = operation;
                ConnectorFactory factory = entry.factory;
                abandonedInstance = retireInstance(entry);
                entry.factory = factory;
                entry.err = reason;
                entry.state = EntryState.WAITING;
                publish(entry);
                scheduleDial(entry, entry.generation);
            }
            long grace = Math.min(1_000, Math.max(50, operation.timeoutMillis));
            schedule(() -> stillBlocked(entry, operation), grace);
        }
        closeInBackground(entry.id, abandonedInstance);
    }

    /** Reports a connector whose dial or ping neither the interrupt nor {@code close()} ended. */
    private synchronized void stillBlocked(ConnectionEntry entry, Operation operation) {
        if (operation.ended) {
            return;
        }
        String reason = operation.kind + " did not finish within " + operation.timeoutMillis
                + " ms and ignores interrupts: connector " + entry.typ + " keeps a thread blocked";
        LOG.warn("Connection {}: {}", entry.id, reason);
        if (entry.abandoned == operation && entry.state != EntryState.CONNECTED) {
            entry.err = reason;
            publish(entry);
        }
    }

    private synchronized void connected(ConnectionEntry entry, long generation) {
        if (entry.generation != generation || entry.state == EntryState.CONNECTED || entry.instance == null) {
            return;
        }
        if (entry.lostDuringDial != null) {
            dialFailed(entry, generation, entry.lostDuringDial, true, false);
            return;
        }
        entry.cancelPending();
        entry.retryAfterDial = false;
        entry.state = EntryState.CONNECTED;
        entry.instanceEverConnected = true;
        entry.failedAttempts = 0;
        entry.err = null;
        entry.lastConnected = clock.getAsLong();
        publish(entry);
        if (!entry.instance.isStateful()) {
            schedulePing(entry, generation);
        }
    }

    private synchronized void dialFailed(ConnectionEntry entry, long generation, String reason, boolean retryable,
            boolean missingResource) {
        if (entry.generation != generation) {
            return;
        }
        entry.err = reason;
        if (retryable) {
            entry.state = missingResource ? EntryState.MISSING_RESOURCE : EntryState.WAITING;
            publish(entry);
            if (entry.retryAfterDial) {
                entry.retryAfterDial = false;
                submit(() -> dial(entry, generation));
            } else {
                scheduleDial(entry, generation);
            }
        } else {
            LOG.warn("Connection {} failed for good: {}", entry.id, shownErr(entry));
            closeInBackground(entry.id, retireInstance(entry));
            entry.state = EntryState.FAILED;
            publish(entry);
        }
    }

    /**
     * A connected link was lost: report it at once, then re-dial with backoff. A loss reported while a dial is in
     * flight (the link dropped right after the client connected) fails that dial when it returns.
     */
    synchronized void linkLost(ConnectionEntry entry, long generation, String reason) {
        if (entry.generation != generation) {
            return;
        }
        if (entry.state == EntryState.DIALING) {
            entry.lostDuringDial = reason;
            return;
        }
        if (entry.state != EntryState.CONNECTED) {
            return;
        }
        entry.cancelPending();
        entry.err = reason;
        entry.lastDisconnected = clock.getAsLong();
        entry.state = EntryState.LOST;
        publish(entry);
        entry.state = EntryState.WAITING;
        publish(entry);
        scheduleDial(entry, generation);
    }

    /** The connector says the cause of the last failure is gone: dial now, or after the dial in flight. */
    private synchronized void retryNow(ConnectionEntry entry, long generation) {
        if (entry.generation != generation || closed) {
            return;
        }
        switch (entry.state) {
            case DIALING -> entry.retryAfterDial = true;
            case WAITING, MISSING_RESOURCE -> {
                entry.cancelPending();
                submit(() -> dial(entry, generation));
            }
            default -> {
                // connected, or an instance no longer dialled
            }
        }
    }

    /** A consumer saw a use fail: ping a stateless connection now rather than at its next turn. */
    synchronized void failureReported(ConnectionEntry entry) {
        if (entry.state == EntryState.CONNECTED && entry.instance != null && !entry.instance.isStateful()) {
            entry.cancelPending();
            long generation = entry.generation;
            submit(() -> ping(entry, generation));
        }
    }

    private void scheduleDial(ConnectionEntry entry, long generation) {
        long delay = entry.backoff.delayMillis(entry.failedAttempts++, random);
        entry.pending = schedule(() -> submit(() -> dial(entry, generation)), delay);
    }

    private void schedulePing(ConnectionEntry entry, long generation) {
        entry.pending = schedule(() -> submit(() -> ping(entry, generation)), settings.pingInterval().toMillis());
    }

    private void ping(ConnectionEntry entry, long generation) {
        Connection instance;
        Operation operation;
        synchronized (this) {
            if (entry.generation != generation || entry.state != EntryState.CONNECTED || entry.operation != null) {
                return;
            }
            instance = entry.instance;
            operation = begin(entry, PING, generation, settings.pingTimeout().toMillis());
        }
        String failure = null;
        try {
            instance.ping();
        } catch (ConnectionException | RuntimeException e) {
            failure = messageOf(e);
        } finally {
            end(entry, operation);
        }
        if (failure != null) {
            linkLost(entry, generation, failure);
            return;
        }
        synchronized (this) {
            if (entry.generation == generation && entry.state == EntryState.CONNECTED) {
                schedulePing(entry, generation);
            }
        }
    }

    // ---------------------------------------------------------------- what readers and listeners see

    /**
     * Updates what readers see; if the status changed, tells the recorders first, then (on the entry's notifier) the
     * followers and the entry's listeners.
     */
    void publish(ConnectionEntry entry) {
        ConnectionInfo view = view(entry);
        if (!entry.markPublished()) {
            entry.view = view;
            return;
        }
        long generation = entry.generation;
        record(entry.id, () -> recorders.statusChanged(view, generation));
        entry.view = view;
        ConnectionStatus status = view.status();
        List<StatusListener> listeners = entry.handles.stream().map(handle -> handle.listener).toList();
        entry.notifier.execute(() -> {
            followers.statusChanged(view, generation);
            listeners.forEach(listener -> tell(listener, entry.id, status));
        });
    }

    /** Replaces what readers see of the entry (props masked, status, error masked). */
    void refresh(ConnectionEntry entry) {
        entry.view = view(entry);
    }

    private ConnectionInfo view(ConnectionEntry entry) {
        return new ConnectionInfo(entry.id, entry.typ, SecretMasker.mask(entry.props, factories.secretProps(entry.typ)),
                entry.named, entry.snapshot(shownErr(entry)));
    }

    /** A recorder that fails must not leave the entry half changed: it is logged, and the change goes on. */
    private static void record(String id, Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            LOG.warn("Recording a status change of connection {} failed", id, SecretMasker.forLog(e));
        }
    }

    private String shownErr(ConnectionEntry entry) {
        return SecretMasker.maskText(entry.err, entry.props, factories.secretProps(entry.typ));
    }

    /** Tells a new listener the current status, in order with the changes that follow. */
    void greet(ConnectionEntry entry, StatusListener listener) {
        ConnectionStatus now = entry.view.status();
        entry.notifier.execute(() -> tell(listener, entry.id, now));
    }

    private static void tell(StatusListener listener, String id, ConnectionStatus status) {
        try {
            listener.statusChanged(id, status);
        } catch (RuntimeException e) {
            LOG.warn("A status listener of connection {} failed", id, SecretMasker.forLog(e));
        }
    }

    /** The context of one instance: its status reports count only while it is the entry's current instance. */
    private final class Context implements ConnectionContext, StatusSink {
        private final ConnectionEntry entry;
        private final long generation;

        Context(ConnectionEntry entry, long generation) {
            this.entry = entry;
            this.generation = generation;
        }

        @Override
        public String connectionId() {
            return entry.id;
        }

        @Override
        public StatusSink statusSink() {
            return this;
        }

        @Override
        public Duration dialTimeout() {
            return BackoffProps.dialTimeout(entry.props, settings.dialTimeout());
        }

        @Override
        public Duration pingTimeout() {
            return settings.pingTimeout();
        }

        @Override
        public void connected() {
            EntryMachine.this.connected(entry, generation);
        }

        @Override
        public void disconnected(String reason) {
            linkLost(entry, generation, reason);
        }

        @Override
        public void retryNow() {
            EntryMachine.this.retryNow(entry, generation);
        }
    }

    // ---------------------------------------------------------------- shutdown and plumbing

    /** Closes every connection, off the lock, and returns when all are closed. */
    void close() {
        Map<String, Connection> instances = new java.util.LinkedHashMap<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (ConnectionEntry entry : entries.values()) {
                if (entry.operation != null) {
                    entry.operation.thread.interrupt();
                }
                Connection instance = retireInstance(entry);
                if (instance != null) {
                    instances.put(entry.id, instance);
                }
            }
        }
        instances.forEach(EntryMachine::closeQuietly);
    }

    void submit(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException shutDown) {
            LOG.debug("Pool stopped; task dropped");
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            return null;
        }
    }

    static void closeQuietly(String id, Connection instance) {
        try {
            instance.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {} failed", id, SecretMasker.forLog(e));
        }
    }

    static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
