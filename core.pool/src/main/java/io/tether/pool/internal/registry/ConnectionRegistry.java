package io.tether.pool.internal.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.StatusListener;
import io.tether.api.connection.StatusSink;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.dial.BackoffProps;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.ProvisioningFile;
import io.tether.pool.internal.store.StoreState;
import io.tether.pool.internal.store.StoredConnection;

/**
 * The table of connections: named and anonymous entries, their references, their factories, their dialling. One lock
 * (this object's monitor) orders every change; dials, pings and closes run on the worker executor, timers on the
 * timer executor, listeners on each entry's serial notifier, all outside the lock.
 */
public final class ConnectionRegistry implements ConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);
    static final String MISSPELLED_SELECTOR = "connentionSelector";

    /** The pool's timing settings. */
    public record Settings(Backoff backoff, Duration pingInterval, Duration pingTimeout) {
        public static final Settings DEFAULT = new Settings(Backoff.DEFAULT, Duration.ofSeconds(5),
                Duration.ofSeconds(2));
    }

    private record RankedFactory(ConnectorFactory factory, int ranking, long serviceId) {
    }

    private static final Comparator<RankedFactory> BEST_FIRST = Comparator
            .comparingInt(RankedFactory::ranking).reversed()
            .thenComparingLong(RankedFactory::serviceId);

    private final Settings settings;
    private final ConnectionStore store;
    private final PoolObserver observer;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final DoubleSupplier random;
    private final LongSupplier clock;

    private final Map<String, ConnectionEntry> entries = new HashMap<>();
    private final Map<String, ConnectionEntry> anonymousByKey = new HashMap<>();
    private final Map<String, List<RankedFactory>> factoriesByType = new HashMap<>();
    private final Map<String, Set<String>> secretPropsByType = new HashMap<>();
    private Map<String, String> provisioned = Map.of();
    private boolean closed;

    public ConnectionRegistry(Settings settings, ConnectionStore store, PoolObserver observer,
            ScheduledExecutorService timers, ExecutorService workers, DoubleSupplier random, LongSupplier clock) {
        this.settings = settings;
        this.store = store;
        this.observer = observer;
        this.timers = timers;
        this.workers = workers;
        this.random = random;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Loads the stored named connections, then applies the provisioning entries not applied before (SPEC §6).
     * Connections of types not installed yet are loaded parked.
     */
    public synchronized void load(StoreState state, List<ProvisioningFile.Entry> provisioning) {
        provisioned = new HashMap<>(state.provisioned());
        for (StoredConnection stored : state.connections()) {
            ConnectionEntry entry = newEntry(stored.id(), true, null, stored.typ(), stored.props());
            start(entry);
        }
        boolean changed = false;
        for (ProvisioningFile.Entry item : provisioning) {
            if (item.hash().equals(provisioned.get(item.id()))) {
                continue;
            }
            try {
                provision(item);
                provisioned.put(item.id(), item.hash());
                changed = true;
            } catch (ConnectionPoolException e) {
                LOG.error("Provisioning entry {} of type {} not applied: {}", item.id(), item.typ(), e.getMessage());
            }
        }
        if (changed) {
            try {
                persist(namedConnections(), provisioned);
            } catch (ConnectionPoolException e) {
                LOG.error("Provisioned connections are live but could not be stored: {}", e.getMessage());
            }
        }
    }

    private void provision(ProvisioningFile.Entry item) {
        Ids.requireValid(item.id());
        ConnectionEntry existing = entries.get(item.id());
        if (existing != null && !existing.named) {
            throw conflictAnonymous(item.id());
        }
        if (item.delete()) {
            if (existing != null) {
                requireUnreferenced(existing);
                closeInBackground(existing.id, remove(existing));
            }
            return;
        }
        RankedFactory factory = bestFactory(item.typ());
        if (factory != null) {
            requireValidProps(factory.factory(), item.id(), item.props());
        }
        if (existing == null) {
            start(newEntry(item.id(), true, null, item.typ(), item.props()));
        } else {
            if (!existing.typ.equals(item.typ())) {
                requireUnreferenced(existing);
            }
            existing.typ = item.typ();
            existing.props = Map.copyOf(item.props());
            restart(existing);
        }
    }

    // ---------------------------------------------------------------- factories

    public synchronized void factoryAdded(String type, ConnectorFactory factory, int ranking, long serviceId) {
        String typ = normalize(type);
        RankedFactory before = bestFactory(typ);
        factoriesByType.computeIfAbsent(typ, t -> new ArrayList<>())
                .add(new RankedFactory(factory, ranking, serviceId));
        factoriesByType.get(typ).sort(BEST_FIRST);
        secretPropsByType.put(typ, Set.copyOf(factory.secretProps()));
        if (before != bestFactory(typ)) {
            LOG.info("Connector type '{}' installed", typ);
            entriesOfType(typ).forEach(this::restart);
        }
    }

    public synchronized void factoryRemoved(String type, ConnectorFactory factory) {
        String typ = normalize(type);
        List<RankedFactory> ranked = factoriesByType.getOrDefault(typ, List.of());
        RankedFactory before = bestFactory(typ);
        ranked.removeIf(candidate -> candidate.factory() == factory);
        if (ranked.isEmpty()) {
            factoriesByType.remove(typ);
        }
        if (before != bestFactory(typ)) {
            LOG.info("Connector type '{}' {}", typ, bestFactory(typ) == null ? "removed" : "replaced");
            entriesOfType(typ).forEach(this::restart);
        }
    }

    /** For a factory whose service properties changed: forgets it under whatever type it had. */
    public synchronized void factoryRemovedEverywhere(ConnectorFactory factory) {
        factoriesByType.entrySet().stream()
                .filter(byType -> byType.getValue().stream().anyMatch(ranked -> ranked.factory() == factory))
                .map(Map.Entry::getKey)
                .toList()
                .forEach(typ -> factoryRemoved(typ, factory));
    }

    private RankedFactory bestFactory(String typ) {
        List<RankedFactory> ranked = factoriesByType.get(typ);
        return ranked == null || ranked.isEmpty() ? null : ranked.get(0);
    }

    private List<ConnectionEntry> entriesOfType(String typ) {
        return entries.values().stream().filter(entry -> entry.typ.equals(typ)).toList();
    }

    @Override
    public synchronized Set<String> installedTypes() {
        return new TreeSet<>(factoriesByType.keySet());
    }

    // ---------------------------------------------------------------- named connections

    @Override
    public synchronized ConnectionInfo create(String id, String typ, Map<String, Object> props) {
        requireOpen();
        Ids.requireValid(id);
        String type = normalize(typ);
        if (entries.containsKey(id)) {
            throw new ConnectionPoolException(Reason.CONFLICT, "connection " + id + " already exists");
        }
        requireValidProps(requireFactory(type).factory(), id, props);
        List<StoredConnection> named = namedConnections();
        named.add(new StoredConnection(id, type, props));
        persist(named, provisioned);
        ConnectionEntry entry = newEntry(id, true, null, type, props);
        start(entry);
        LOG.info("Connection {} of type {} created", id, type);
        return info(entry);
    }

    @Override
    public synchronized ConnectionInfo update(String id, String typ, Map<String, Object> props) {
        requireOpen();
        Ids.requireValid(id);
        ConnectionEntry entry = requireNamed(id);
        String type = typ == null || typ.isBlank() ? entry.typ : normalize(typ);
        if (!type.equals(entry.typ)) {
            requireUnreferenced(entry);
        }
        Map<String, Object> restored = SecretMasker.restore(props, entry.props, secretProps(type));
        requireValidProps(requireFactory(type).factory(), id, restored);
        List<StoredConnection> named = namedConnections();
        named.replaceAll(stored -> stored.id().equals(id) ? new StoredConnection(id, type, restored) : stored);
        persist(named, provisioned);
        entry.typ = type;
        entry.props = Map.copyOf(restored);
        restart(entry);
        LOG.info("Connection {} of type {} updated", id, type);
        return info(entry);
    }

    /** Returns once the connection's instance is closed, so that what it held (a client id, a port) is free. */
    @Override
    public void delete(String id) {
        Connection instance;
        synchronized (this) {
            requireOpen();
            Ids.requireValid(id);
            ConnectionEntry entry = entries.get(id);
            if (entry == null) {
                return;
            }
            if (!entry.named) {
                throw conflictAnonymous(id);
            }
            requireUnreferenced(entry);
            List<StoredConnection> named = namedConnections();
            named.removeIf(stored -> stored.id().equals(id));
            persist(named, provisioned);
            instance = remove(entry);
        }
        if (instance != null) {
            closeQuietly(id, instance);
        }
        LOG.info("Connection {} deleted", id);
    }

    @Override
    public synchronized Optional<ConnectionInfo> get(String id) {
        Ids.requireValid(id);
        return Optional.ofNullable(entries.get(id)).map(this::info);
    }

    @Override
    public synchronized List<ConnectionInfo> list(boolean includeAnonymous) {
        return entries.values().stream()
                .filter(entry -> includeAnonymous || entry.named)
                .sorted(Comparator.comparing(entry -> entry.id))
                .map(this::info)
                .toList();
    }

    @Override
    public void check(String typ, Map<String, Object> props, Duration timeout) {
        ConnectorFactory factory;
        synchronized (this) {
            requireOpen();
            factory = requireFactory(normalize(typ)).factory();
        }
        if (!factory.supportsCheck()) {
            throw new ConnectionPoolException(Reason.UNSUPPORTED,
                    "connection type " + normalize(typ) + " doesn't support ping connection");
        }
        requireValidProps(factory, null, props);
        Future<?> attempt = workers.submit(() -> {
            factory.check(BackoffProps.connectorProps(props), timeout);
            return null;
        });
        try {
            attempt.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConnectionPoolException(Reason.UNREACHABLE, messageOf(e.getCause()), List.of(), null);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new ConnectionPoolException(Reason.UNREACHABLE,
                    "no connection within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionPoolException(Reason.UNREACHABLE, "interrupted");
        }
    }

    // ---------------------------------------------------------------- consumers

    @Override
    public synchronized ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
            StatusListener listener) {
        requireOpen();
        String type = normalize(typ);
        if (props.containsKey(MISSPELLED_SELECTOR)) {
            throw new ConnectionPoolException(Reason.INVALID, "unknown property '" + MISSPELLED_SELECTOR
                    + "': the property is spelled '" + CONNECTION_SELECTOR + "'");
        }
        Object selector = props.get(CONNECTION_SELECTOR);
        ConnectionEntry entry = selector != null ? selected(String.valueOf(selector), type) : anonymous(key, type, props);
        Handle handle = new Handle(this, entry, refId, listener);
        entry.handles.add(handle);
        ConnectionStatus now = entry.snapshot();
        entry.notifier.execute(() -> tell(listener, entry.id, now));
        return handle;
    }

    private ConnectionEntry selected(String id, String type) {
        ConnectionEntry entry = entries.get(id);
        if (entry == null || !entry.named) {
            throw new ConnectionPoolException(Reason.NOT_FOUND, "connection " + id + " not existed");
        }
        if (!entry.typ.equals(type)) {
            throw new ConnectionPoolException(Reason.INVALID,
                    "connection " + id + " is of type " + entry.typ + ", not " + type);
        }
        return entry;
    }

    private ConnectionEntry anonymous(String key, String type, Map<String, Object> props) {
        String anonymousKey = type + '\u0000' + key;
        ConnectionEntry entry = anonymousByKey.get(anonymousKey);
        if (entry != null) {
            return entry;
        }
        String id = Ids.fromKey(key);
        for (int suffix = 2; entries.containsKey(id); suffix++) {
            id = Ids.fromKey(key) + "_" + suffix;
        }
        requireValidProps(requireFactory(type).factory(), id, props);
        entry = newEntry(id, false, anonymousKey, type, props);
        anonymousByKey.put(anonymousKey, entry);
        start(entry);
        return entry;
    }

    @Override
    public void detach(ConnectionHandle handle) {
        if (handle instanceof Handle attachment) {
            detach(attachment);
        }
    }

    synchronized void detach(Handle handle) {
        if (!handle.attached) {
            return;
        }
        handle.attached = false;
        ConnectionEntry entry = handle.entry;
        entry.handles.remove(handle);
        if (!entry.named && entry.handles.isEmpty() && !closed) {
            closeInBackground(entry.id, remove(entry));
        }
    }

    synchronized String typeOf(Handle handle) {
        return handle.entry.typ;
    }

    synchronized ConnectionStatus statusOf(Handle handle) {
        return handle.entry.snapshot();
    }

    synchronized Object instanceOf(Handle handle, Class<?> type) {
        ConnectionEntry entry = handle.entry;
        if (!handle.attached) {
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "handle of connection " + entry.id + " is detached");
        }
        if (entry.instance == null) {
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "connection " + entry.id + " is not available"
                    + (entry.err == null ? "" : ": " + entry.err));
        }
        if (!type.isInstance(entry.instance)) {
            throw new ConnectionPoolException(Reason.INVALID, "connection " + entry.id + " of type " + entry.typ
                    + " is not a " + type.getName());
        }
        return entry.instance;
    }

    synchronized void failureReported(Handle handle, String reason) {
        ConnectionEntry entry = handle.entry;
        if (handle.attached && entry.state == EntryState.CONNECTED && !entry.instance.isStateful()) {
            entry.cancelPending();
            long generation = entry.generation;
            submit(() -> ping(entry, generation));
        }
    }

    // ---------------------------------------------------------------- the state machine

    private ConnectionEntry newEntry(String id, boolean named, String key, String typ, Map<String, Object> props) {
        ConnectionEntry entry = new ConnectionEntry(id, named, key, typ, Map.copyOf(props), workers);
        entries.put(id, entry);
        return entry;
    }

    /** Closes the current instance (if any) and starts a new one, or parks the entry when no factory is there. */
    private void restart(ConnectionEntry entry) {
        retire(entry);
        start(entry);
    }

    private void start(ConnectionEntry entry) {
        RankedFactory factory = bestFactory(entry.typ);
        if (factory == null) {
            entry.state = EntryState.PARKED;
            entry.err = "connector type '" + entry.typ + "' is not installed";
            publish(entry);
            return;
        }
        List<PropError> problems = problems(factory.factory(), entry.id, entry.props);
        if (!problems.isEmpty()) {
            entry.state = EntryState.FAILED;
            entry.err = invalidProps(problems);
            publish(entry);
            return;
        }
        long generation = ++entry.generation;
        entry.factory = factory.factory();
        entry.backoff = BackoffProps.backoff(entry.props, settings.backoff());
        entry.instanceEverConnected = false;
        entry.failedAttempts = 0;
        entry.state = EntryState.DIALING;
        publish(entry);
        submit(() -> dial(entry, generation));
    }

    /** Makes the current instance an old one, and closes it in the background. */
    private void retire(ConnectionEntry entry) {
        closeInBackground(entry.id, retireInstance(entry));
    }

    /** Makes the current instance an old one: its work and events are dropped from now on. The caller closes it. */
    private Connection retireInstance(ConnectionEntry entry) {
        entry.generation++;
        entry.cancelPending();
        if (entry.state == EntryState.CONNECTED) {
            entry.lastDisconnected = clock.getAsLong();
        }
        Connection old = entry.instance;
        entry.instance = null;
        entry.factory = null;
        return old;
    }

    private void closeInBackground(String id, Connection instance) {
        if (instance != null) {
            submit(() -> closeQuietly(id, instance));
        }
    }

    /** Removes the entry; returns its instance for the caller to close, if it had one. */
    private Connection remove(ConnectionEntry entry) {
        Connection instance = retireInstance(entry);
        entry.state = EntryState.CLOSED;
        entries.remove(entry.id);
        if (entry.key != null) {
            anonymousByKey.remove(entry.key);
        }
        entry.notifier.execute(() -> observer.removed(entry.id, entry.named));
        return instance;
    }

    private void dial(ConnectionEntry entry, long generation) {
        Connection instance;
        ConnectorFactory factory;
        synchronized (this) {
            if (entry.generation != generation || closed || entry.state == EntryState.CONNECTED) {
                return;
            }
            entry.lastTry = clock.getAsLong();
            entry.lostDuringDial = null;
            entry.retryAfterDial = false;
            entry.state = EntryState.DIALING;
            publish(entry);
            instance = entry.instance;
            factory = entry.factory;
        }
        try {
            if (instance == null) {
                instance = factory.create(BackoffProps.connectorProps(entry.props), new Context(entry, generation));
                synchronized (this) {
                    if (entry.generation != generation) {
                        closeQuietly(entry.id, instance);
                        return;
                    }
                    entry.instance = instance;
                }
            }
            instance.dial();
            connected(entry, generation);
        } catch (ConnectionException e) {
            dialFailed(entry, generation, messageOf(e), e.isRetryable(), e.isMissingResource());
        } catch (RuntimeException e) {
            LOG.warn("Connector {} failed to dial connection {}", entry.typ, entry.id, e);
            dialFailed(entry, generation, messageOf(e), true, false);
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
            LOG.warn("Connection {} failed for good: {}", entry.id, SecretMasker.maskUrls(reason));
            retire(entry);
            entry.state = EntryState.FAILED;
            publish(entry);
        }
    }

    /**
     * A connected link was lost: report it at once, then re-dial with backoff. A loss reported while a dial is in
     * flight (the link dropped right after the client connected) fails that dial when it returns.
     */
    private synchronized void linkLost(ConnectionEntry entry, long generation, String reason) {
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

    private void scheduleDial(ConnectionEntry entry, long generation) {
        long delay = entry.backoff.delayMillis(entry.failedAttempts++, random);
        entry.pending = schedule(() -> submit(() -> dial(entry, generation)), delay);
    }

    private void schedulePing(ConnectionEntry entry, long generation) {
        entry.pending = schedule(() -> submit(() -> ping(entry, generation)), settings.pingInterval().toMillis());
    }

    private void ping(ConnectionEntry entry, long generation) {
        Connection instance;
        synchronized (this) {
            if (entry.generation != generation || entry.state != EntryState.CONNECTED) {
                return;
            }
            instance = entry.instance;
        }
        Future<?> attempt;
        try {
            attempt = workers.submit(() -> {
                instance.ping();
                return null;
            });
        } catch (RejectedExecutionException shutDown) {
            return;
        }
        long timeout = settings.pingTimeout().toMillis();
        try {
            attempt.get(timeout, TimeUnit.MILLISECONDS);
            synchronized (this) {
                if (entry.generation == generation && entry.state == EntryState.CONNECTED) {
                    schedulePing(entry, generation);
                }
            }
        } catch (ExecutionException e) {
            linkLost(entry, generation, messageOf(e.getCause()));
        } catch (TimeoutException e) {
            attempt.cancel(true);
            linkLost(entry, generation, "ping timed out after " + timeout + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells the entry's listeners (and the observer) of its status, if it changed, in order, outside the lock. */
    private void publish(ConnectionEntry entry) {
        if (!entry.markPublished()) {
            return;
        }
        ConnectionStatus status = entry.snapshot();
        List<StatusListener> listeners = entry.handles.stream().map(handle -> handle.listener).toList();
        entry.notifier.execute(() -> {
            observer.statusChanged(entry.id, entry.named, status);
            listeners.forEach(listener -> tell(listener, entry.id, status));
        });
    }

    private static void tell(StatusListener listener, String id, ConnectionStatus status) {
        try {
            listener.statusChanged(id, status);
        } catch (RuntimeException e) {
            LOG.warn("A status listener of connection {} failed", id, e);
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
        public void connected() {
            ConnectionRegistry.this.connected(entry, generation);
        }

        @Override
        public void disconnected(String reason) {
            linkLost(entry, generation, reason);
        }

        @Override
        public void retryNow() {
            ConnectionRegistry.this.retryNow(entry, generation);
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Closes every connection; the store needs no flush, as every change was written when it was made. */
    public void close() {
        List<ConnectionEntry> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(entries.values());
            all.forEach(entry -> {
                entry.generation++;
                entry.cancelPending();
            });
        }
        for (ConnectionEntry entry : all) {
            Connection instance;
            synchronized (this) {
                instance = entry.instance;
                entry.instance = null;
            }
            if (instance != null) {
                closeQuietly(entry.id, instance);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private ConnectionInfo info(ConnectionEntry entry) {
        return new ConnectionInfo(entry.id, entry.typ, SecretMasker.mask(entry.props, secretProps(entry.typ)),
                entry.named, entry.snapshot());
    }

    @Override
    public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
        Set<String> names = new HashSet<>(secretNames);
        synchronized (this) {
            names.addAll(secretProps(typ == null ? "" : typ.toLowerCase(Locale.ROOT)));
        }
        return SecretMasker.mask(props, names);
    }

    @Override
    public String maskSecrets(String text) {
        return SecretMasker.maskUrls(text);
    }

    private Set<String> secretProps(String typ) {
        return secretPropsByType.getOrDefault(typ, Set.of());
    }

    private List<StoredConnection> namedConnections() {
        return entries.values().stream()
                .filter(entry -> entry.named)
                .sorted(Comparator.comparing(entry -> entry.id))
                .map(entry -> new StoredConnection(entry.id, entry.typ, entry.props))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private void persist(List<StoredConnection> named, Map<String, String> provisionedHashes) {
        try {
            store.save(new StoreState(named, provisionedHashes));
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot write the connection store {}", store.file(), e);
            throw new ConnectionPoolException(Reason.INTERNAL,
                    "cannot write the connection store: " + messageOf(e), List.of(), e);
        }
    }

    private RankedFactory requireFactory(String typ) {
        RankedFactory factory = bestFactory(typ);
        if (factory == null) {
            throw new ConnectionPoolException(Reason.INVALID, "connector type '" + typ
                    + "' is not installed; installed types: " + installedTypesText());
        }
        return factory;
    }

    private String installedTypesText() {
        return new TreeSet<>(factoriesByType.keySet()).toString();
    }

    /** @param id the connection's id, {@code null} for props that make no connection (a check) */
    private void requireValidProps(ConnectorFactory factory, String id, Map<String, Object> props) {
        List<PropError> problems = problems(factory, id, props);
        if (!problems.isEmpty()) {
            throw new ConnectionPoolException(Reason.INVALID, invalidProps(problems), problems, null);
        }
    }

    /** The pool's own props (a backoff of the connection's own) are checked here; the rest by the connector. */
    private List<PropError> problems(ConnectorFactory factory, String id, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>(BackoffProps.problems(props, settings.backoff()));
        Map<String, Object> connectorProps = BackoffProps.connectorProps(props);
        problems.addAll(id == null ? factory.validate(connectorProps) : factory.validate(id, connectorProps));
        return problems;
    }

    private static String invalidProps(List<PropError> problems) {
        return "invalid props: " + problems.stream()
                .map(problem -> problem.prop().isEmpty() ? problem.message()
                        : problem.prop() + ": " + problem.message())
                .collect(Collectors.joining("; "));
    }

    private ConnectionEntry requireNamed(String id) {
        ConnectionEntry entry = entries.get(id);
        if (entry == null) {
            throw new ConnectionPoolException(Reason.NOT_FOUND, "connection " + id + " not existed");
        }
        if (!entry.named) {
            throw conflictAnonymous(id);
        }
        return entry;
    }

    private static ConnectionPoolException conflictAnonymous(String id) {
        return new ConnectionPoolException(Reason.CONFLICT, "internal connection " + id + " can't be edit");
    }

    private static void requireUnreferenced(ConnectionEntry entry) {
        if (!entry.handles.isEmpty()) {
            throw new ConnectionPoolException(Reason.CONFLICT, "connection " + entry.id
                    + " can't be dropped due to rule references [" + String.join(" ", entry.distinctRefs()) + "]");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new ConnectionPoolException(Reason.UNAVAILABLE, "the connection pool is stopped");
        }
    }

    private void submit(Runnable task) {
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

    private static void closeQuietly(String id, Connection instance) {
        try {
            instance.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {} failed", id, e);
        }
    }

    private static String normalize(String typ) {
        if (typ == null || typ.isBlank()) {
            throw new ConnectionPoolException(Reason.INVALID, "typ is required");
        }
        return typ.strip().toLowerCase(Locale.ROOT);
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
