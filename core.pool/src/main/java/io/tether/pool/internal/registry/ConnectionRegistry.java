package io.tether.pool.internal.registry;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.StatusListener;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.schema.ConnectorSchema;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.ProvisioningFile;
import io.tether.pool.internal.store.StoreState;

/**
 * The pool's connections, put together from its parts: the {@link FactoryTable}, the entries' state machine
 * ({@link EntryMachine}), the named connections with their store and provisioning ({@link NamedConnections}) and
 * the consumers' {@link Attachments}. Reads ({@link #get}, {@link #list}, a handle's status and instance) take no
 * lock; no lock is held across a store write, a dial, a ping or a close.
 */
public final class ConnectionRegistry implements ConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    /** The pool's timing settings. */
    public record Settings(Backoff backoff, Duration pingInterval, Duration pingTimeout, Duration dialTimeout) {
        public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(30);
        public static final Settings DEFAULT = new Settings(Backoff.DEFAULT, Duration.ofSeconds(5),
                Duration.ofSeconds(2));

        /** Settings with the default dial time limit. */
        public Settings(Backoff backoff, Duration pingInterval, Duration pingTimeout) {
            this(backoff, pingInterval, pingTimeout, DEFAULT_DIAL_TIMEOUT);
        }
    }

    private final FactoryTable factories = new FactoryTable();
    private final EntryMachine machine;
    private final NamedConnections named;
    private final Attachments attachments;

    /**
     * @param recorders told of each status change and removal under the pool's lock, before readers can see it: must
     *                  not block (the status events, the metrics)
     * @param followers told of each change afterwards, in order per connection, on a worker (the status log lines)
     * @param workers   runs dials, pings, closes and notifications; a {@link WorkerPool} gets stand-ins for threads
     *                  that connectors keep blocked
     */
    public ConnectionRegistry(Settings settings, ConnectionStore store, PoolObserver recorders,
            PoolObserver followers, ScheduledExecutorService timers, ExecutorService workers, DoubleSupplier random,
            LongSupplier clock) {
        this.machine = new EntryMachine(settings, factories, recorders, followers, timers, workers, random, clock);
        this.named = new NamedConnections(machine, factories, store);
        this.attachments = new Attachments(machine, factories);
    }

    /**
     * Loads the stored named connections, then applies the provisioning entries not applied before (SPEC §6).
     * Connections of types not installed yet are loaded parked.
     */
    public void load(StoreState state, List<ProvisioningFile.Entry> provisioning) {
        named.load(state, provisioning);
    }

    /** Applies new timings without closing any connection. */
    public void reconfigure(Settings settings) {
        machine.reconfigure(settings);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Whether the runtime is starting. Connector bundles start after the management API; meanwhile a request
     * naming a type that is not installed yet waits for it (at most until the start ends) rather than being
     * refused, and a stored connection of that type says it is not installed <em>yet</em>.
     */
    public void runtimeStarting(boolean starting) {
        boolean wasStarting = factories.runtimeStarting();
        factories.runtimeStarting(starting);
        if (wasStarting && !starting) {
            machine.runtimeStarted();
        }
    }

    /** A factory registered without a bundle or a schema, as tests (of this and other modules) register theirs. */
    public void factoryAdded(String type, ConnectorFactory factory, int ranking, long serviceId) {
        factoryAdded(type, factory, new Registration(ranking, serviceId, "", "", null));
    }

    public void factoryAdded(String type, ConnectorFactory factory, Registration registration) {
        String typ = normalize(type);
        ConnectorFactory before = factories.best(typ);
        boolean secretsChanged = factories.add(typ, factory, registration);
        if (before != factories.best(typ)) {
            LOG.info("Connector type '{}' installed", typ);
        }
        machine.factoryChanged(typ);
        if (secretsChanged) {
            named.secretsDeclared();
        }
    }

    public void factoryRemoved(String type, ConnectorFactory factory) {
        String typ = normalize(type);
        ConnectorFactory before = factories.best(typ);
        factories.remove(typ, factory);
        if (before != factories.best(typ)) {
            LOG.info("Connector type '{}' {}", typ, factories.best(typ) == null ? "removed" : "replaced");
        }
        machine.factoryChanged(typ);
    }

    /** A source or sink provider registered a schema for the type: its secrets are masked, its parts checked. */
    public void providerSchemaAdded(String type, Registration registration) {
        if (factories.addProviderSchema(normalize(type), registration)) {
            named.secretsDeclared();
        }
    }

    public void providerSchemaRemoved(long serviceId) {
        factories.removeProviderSchema(serviceId);
    }

    /** Each installed connection type with its best factory's registration (bundle, schema), sorted by type. */
    public Map<String, Registration> installed() {
        return factories.installed();
    }

    /** The type's props schema, from its factory's bundle or else its providers'. */
    public Optional<ConnectorSchema> schema(String typ) {
        return factories.schema(typ == null ? null : typ.strip().toLowerCase(Locale.ROOT));
    }

    /** For a factory whose service properties changed: forgets it under whatever type it had. */
    public void factoryRemovedEverywhere(ConnectorFactory factory) {
        factories.typesOf(factory).forEach(typ -> factoryRemoved(typ, factory));
    }

    @Override
    public Set<String> installedTypes() {
        return factories.installedTypes();
    }

    // ---------------------------------------------------------------- named connections

    @Override
    public ConnectionInfo create(String id, String typ, Map<String, Object> props) {
        return named.create(id, normalize(typ), props);
    }

    @Override
    public ConnectionInfo update(String id, String typ, Map<String, Object> props) {
        return named.update(id, typ == null || typ.isBlank() ? null : normalize(typ), props);
    }

    @Override
    public void delete(String id) {
        named.delete(id);
    }

    @Override
    public Optional<ConnectionInfo> get(String id) {
        return named.get(id);
    }

    @Override
    public List<ConnectionInfo> list(boolean includeAnonymous) {
        return named.list(includeAnonymous);
    }

    @Override
    public void check(String typ, Map<String, Object> props, Duration timeout) {
        named.check(normalize(typ), props, timeout);
    }

    // ---------------------------------------------------------------- consumers

    @Override
    public ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
            StatusListener listener) {
        return attachments.attach(refId, key, normalize(typ), props, listener);
    }

    @Override
    public void detach(ConnectionHandle handle) {
        attachments.detach(handle);
    }

    @Override
    public List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props) {
        return machine.schemaProblems(normalize(typ), part, props);
    }

    // ---------------------------------------------------------------- secrets

    @Override
    public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
        Set<String> declared = factories.secretProps(typ == null ? null : typ.strip().toLowerCase(Locale.ROOT));
        if (secretNames != null && !secretNames.isEmpty()) {
            declared = new HashSet<>(declared);
            declared.addAll(secretNames);
        }
        return SecretMasker.mask(props, declared);
    }

    @Override
    public String maskSecrets(String text) {
        return SecretMasker.maskText(text);
    }

    // ---------------------------------------------------------------- shutdown

    /** Closes every connection; the store needs no flush, as every change was durable when it was answered. */
    public void close() {
        machine.close();
    }

    private static String normalize(String typ) {
        if (typ == null || typ.isBlank()) {
            throw new ConnectionPoolException(Reason.INVALID, "typ is required");
        }
        return typ.strip().toLowerCase(Locale.ROOT);
    }
}
