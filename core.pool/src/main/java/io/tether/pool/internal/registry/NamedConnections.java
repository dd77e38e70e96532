package io.tether.pool.internal.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.ConnectorNotInstalledException;
import io.tether.api.connection.PropError;
import io.tether.pool.internal.dial.BackoffProps;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.ProvisioningFile;
import io.tether.pool.internal.store.StoreState;
import io.tether.pool.internal.store.StoredConnection;

/**
 * Named connections (SPEC §5, §6): create, update, delete, the store and the provisioning file. Changes are
 * serialised by their own lock, which is held across the store write; the entry machine's lock is taken only
 * for the memory updates before and after it, so that a slow disk never holds up readers, consumers or dials. A
 * change is applied once it is durable: a create or update whose write fails changes nothing.
 */
final class NamedConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NamedConnections.class);
    private static final int CHECK_QUEUED = 0;
    private static final int CHECK_RUNNING = 1;
    private static final int CHECK_DONE = 2;
    private static final int CHECK_ABANDONED = 3;
    /** How long a request naming a type that is not installed waits for it while the runtime starts. */
    static final Duration STARTING_TYPE_WAIT = Duration.ofSeconds(30);

    private final EntryMachine machine;
    private final FactoryTable factories;
    private final ConnectionStore store;
    /** Serialises changes of named connections, with their store writes. */
    private final Object changes = new Object();
    /** Provisioning hashes applied (SPEC §6); guarded by {@link #changes}. */
    private Map<String, String> provisioned = Map.of();

    NamedConnections(EntryMachine machine, FactoryTable factories, ConnectionStore store) {
        this.machine = machine;
        this.factories = factories;
        this.store = store;
    }

    /**
     * Loads the stored named connections, then applies the provisioning entries not applied before. Connections of
     * types not installed yet are loaded parked.
     */
    void load(StoreState state, List<ProvisioningFile.Entry> provisioning) {
        synchronized (changes) {
            factories.remember(state.secretProps());
            provisioned = new HashMap<>(state.provisioned());
            synchronized (machine) {
                for (StoredConnection stored : state.connections()) {
                    machine.start(machine.newEntry(stored.id(), true, null, stored.typ(), stored.props()));
                }
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
                    LOG.error("Provisioning entry {} of type {} not applied: {}", item.id(), item.typ(),
                            SecretMasker.maskText(e.getMessage()));
                }
            }
            if (changed) {
                try {
                    write(stateOf(namedConnections()));
                } catch (ConnectionPoolException e) {
                    LOG.error("Provisioned connections are live but could not be stored: {}", e.getMessage());
                }
            }
        }
    }

    private void provision(ProvisioningFile.Entry item) {
        Ids.requireValid(item.id());
        ConnectorFactory factory = factories.best(item.typ());
        if (!item.delete() && factory != null) {
            requireValidProps(item.typ(), factory, item.id(), item.props());
        }
        synchronized (machine) {
            ConnectionEntry existing = machine.entries.get(item.id());
            if (existing != null && !existing.named) {
                throw conflictAnonymous(item.id());
            }
            if (item.delete()) {
                if (existing != null) {
                    requireUnreferenced(existing);
                    machine.closeInBackground(existing.id, machine.remove(existing));
                }
            } else if (existing == null) {
                machine.start(machine.newEntry(item.id(), true, null, item.typ(), item.props()));
            } else {
                if (!existing.typ.equals(item.typ())) {
                    requireUnreferenced(existing);
                }
                existing.typ = item.typ();
                existing.props = Map.copyOf(item.props());
                machine.restart(existing);
            }
        }
    }

    ConnectionInfo create(String id, String type, Map<String, Object> props) {
        Ids.requireValid(id);
        factories.awaitBest(type, STARTING_TYPE_WAIT);
        synchronized (changes) {
            machine.requireOpen();
            requireValidProps(type, requireInstalled(type), id, props);
            StoreState next;
            synchronized (machine) {
                if (machine.entries.containsKey(id) || machine.reserved.contains(id)) {
                    throw new ConnectionPoolException(Reason.CONFLICT, "connection " + id + " already exists");
                }
                List<StoredConnection> named = namedConnections();
                named.add(new StoredConnection(id, type, props));
                next = stateOf(named);
                machine.reserved.add(id);
            }
            try {
                write(next);
            } finally {
                synchronized (machine) {
                    machine.reserved.remove(id);
                }
            }
            ConnectionInfo created;
            synchronized (machine) {
                ConnectionEntry entry = machine.newEntry(id, true, null, type, props);
                machine.start(entry);
                created = entry.view;
            }
            LOG.info("Connection {} of type {} created", id, type);
            return created;
        }
    }

    /** @param type the new type, {@code null} to keep the connection's */
    ConnectionInfo update(String id, String type, Map<String, Object> props) {
        Ids.requireValid(id);
        String awaited = type;
        if (awaited == null) {
            synchronized (machine) {
                ConnectionEntry entry = machine.entries.get(id);
                awaited = entry == null ? null : entry.typ;
            }
        }
        if (awaited != null) {
            factories.awaitBest(awaited, STARTING_TYPE_WAIT);
        }
        synchronized (changes) {
            machine.requireOpen();
            ConnectionEntry entry;
            String typ;
            Map<String, Object> restored;
            synchronized (machine) {
                entry = requireNamed(id);
                typ = type == null ? entry.typ : type;
                if (!typ.equals(entry.typ)) {
                    requireUnreferenced(entry);
                }
                restored = SecretMasker.restore(props, entry.props, factories.secretProps(typ));
            }
            requireValidProps(typ, requireInstalled(typ), id, restored);
            StoreState next;
            synchronized (machine) {
                if (!typ.equals(entry.typ)) {
                    requireUnreferenced(entry);
                    entry.pendingTyp = typ;
                }
                List<StoredConnection> named = namedConnections();
                named.replaceAll(stored -> stored.id().equals(id) ? new StoredConnection(id, typ, restored) : stored);
                next = stateOf(named);
            }
            ConnectionInfo updated;
            try {
                write(next);
            } finally {
                synchronized (machine) {
                    entry.pendingTyp = null;
                }
            }
            synchronized (machine) {
                entry.typ = typ;
                entry.props = Map.copyOf(restored);
                machine.restart(entry);
                updated = entry.view;
            }
            LOG.info("Connection {} of type {} updated", id, typ);
            return updated;
        }
    }

    /** Returns once the connection's instance is closed, so that what it held (a client id, a port) is free. */
    void delete(String id) {
        Ids.requireValid(id);
        Connection instance;
        synchronized (changes) {
            machine.requireOpen();
            ConnectionEntry entry;
            StoreState next;
            synchronized (machine) {
                entry = machine.entries.get(id);
                if (entry == null) {
                    return;
                }
                if (!entry.named) {
                    throw conflictAnonymous(id);
                }
                requireUnreferenced(entry);
                entry.deleting = true;
                List<StoredConnection> named = namedConnections();
                named.removeIf(stored -> stored.id().equals(id));
                next = stateOf(named);
            }
            try {
                write(next);
            } catch (ConnectionPoolException e) {
                synchronized (machine) {
                    entry.deleting = false;
                }
                throw e;
            }
            synchronized (machine) {
                instance = machine.remove(entry);
            }
        }
        if (instance != null) {
            EntryMachine.closeQuietly(id, instance);
        }
        LOG.info("Connection {} deleted", id);
    }

    Optional<ConnectionInfo> get(String id) {
        Ids.requireValid(id);
        return Optional.ofNullable(machine.entries.get(id)).map(entry -> entry.view);
    }

    List<ConnectionInfo> list(boolean includeAnonymous) {
        return machine.entries.values().stream()
                .filter(entry -> includeAnonymous || entry.named)
                .map(entry -> entry.view)
                .sorted(Comparator.comparing(ConnectionInfo::id))
                .toList();
    }

    /**
     * Tests props with a temporary connection on a worker. A check that overruns its time limit is interrupted and
     * abandoned; its thread gets a stand-in in the worker pool until it comes back.
     */
    void check(String type, Map<String, Object> props, Duration timeout) {
        machine.requireOpen();
        ConnectorFactory factory = requireFactory(type);
        if (!factory.supportsCheck()) {
            throw new ConnectionPoolException(Reason.UNSUPPORTED,
                    "connection type " + type + " doesn't support ping connection");
        }
        requireValidProps(type, factory, null, props);
        AtomicInteger state = new AtomicInteger(CHECK_QUEUED);
        Future<?> attempt = machine.workers.submit(() -> {
            state.set(CHECK_RUNNING);
            try {
                factory.check(BackoffProps.connectorProps(props), timeout);
            } finally {
                if (!state.compareAndSet(CHECK_RUNNING, CHECK_DONE) && machine.workers instanceof WorkerPool pool) {
                    pool.removeStandIn();
                }
            }
            return null;
        });
        try {
            attempt.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConnectionPoolException(Reason.UNREACHABLE,
                    SecretMasker.maskText(EntryMachine.messageOf(e.getCause())), List.of(), null);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            if (state.compareAndSet(CHECK_RUNNING, CHECK_ABANDONED) && machine.workers instanceof WorkerPool pool) {
                pool.addStandIn();
            }
            throw new ConnectionPoolException(Reason.UNREACHABLE,
                    "no connection within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionPoolException(Reason.UNREACHABLE, "interrupted");
        }
    }

    /** Writes the declared secret names of the types (SPEC §5: masked after a restart without the type). */
    void secretsDeclared() {
        synchronized (changes) {
            StoreState next;
            synchronized (machine) {
                next = stateOf(namedConnections());
            }
            try {
                write(next);
            } catch (ConnectionPoolException e) {
                LOG.error("The secret prop names of connector types could not be stored: {}", e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private StoreState stateOf(List<StoredConnection> named) {
        return new StoreState(named, provisioned, factories.declaredSecrets());
    }

    /** The named connections as stored; the caller holds the machine's lock. */
    private List<StoredConnection> namedConnections() {
        return machine.entries.values().stream()
                .filter(entry -> entry.named)
                .sorted(Comparator.comparing(entry -> entry.id))
                .map(entry -> new StoredConnection(entry.id, entry.typ, entry.props))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** Writes the store durably; the caller holds {@link #changes} and not the machine's lock. */
    private void write(StoreState next) {
        try {
            store.save(next);
        } catch (IOException | RuntimeException e) {
            String why = SecretMasker.maskText(EntryMachine.messageOf(e));
            LOG.error("Cannot write the connection store {}: {}", store.file(), why);
            throw new ConnectionPoolException(Reason.INTERNAL, "cannot write the connection store: " + why,
                    List.of(), null);
        }
    }

    /**
     * The type's factory as it is now, for changes, which hold {@link #changes}: they wait for a type still starting
     * before they take it, so that one change waiting does not hold up the others.
     */
    private ConnectorFactory requireInstalled(String typ) {
        ConnectorFactory factory = factories.best(typ);
        if (factory == null) {
            throw notInstalled(typ, factories);
        }
        return factory;
    }

    /** The type's factory, waited for while the runtime starts and the type has not come yet. */
    private ConnectorFactory requireFactory(String typ) {
        ConnectorFactory factory = factories.awaitBest(typ, STARTING_TYPE_WAIT);
        if (factory == null) {
            throw notInstalled(typ, factories);
        }
        return factory;
    }

    static ConnectionPoolException notInstalled(String typ, FactoryTable factories) {
        return new ConnectorNotInstalledException(typ, "connector type '" + typ
                + "' is not installed; installed types: " + factories.installedTypes());
    }

    /** @param id the connection's id, {@code null} for props that make no connection (a check) */
    private void requireValidProps(String typ, ConnectorFactory factory, String id, Map<String, Object> props) {
        List<PropError> problems = machine.problems(typ, factory, id, props);
        if (!problems.isEmpty()) {
            throw new ConnectionPoolException(Reason.INVALID, EntryMachine.invalidProps(problems), problems, null);
        }
    }

    private ConnectionEntry requireNamed(String id) {
        ConnectionEntry entry = machine.entries.get(id);
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
}
