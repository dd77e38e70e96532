package io.tether.pool.internal.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.StatusListener;

/**
 * Consumers' attachments (SPEC §1): to a named connection through its selector, or to the anonymous connection of a
 * key, created with the first reference and removed with the last. Changes happen under the entry machine's lock.
 */
final class Attachments {
    static final String MISSPELLED_SELECTOR = "connentionSelector";

    private final EntryMachine machine;
    private final FactoryTable factories;
    /** Anonymous entries by type and key; guarded by the machine's lock. */
    private final Map<String, ConnectionEntry> anonymousByKey = new HashMap<>();

    Attachments(EntryMachine machine, FactoryTable factories) {
        this.machine = machine;
        this.factories = factories;
    }

    ConnectionHandle attach(String refId, String key, String type, Map<String, Object> props,
            StatusListener listener) {
        if (props.containsKey(MISSPELLED_SELECTOR)) {
            throw new ConnectionPoolException(Reason.INVALID, "unknown property '" + MISSPELLED_SELECTOR
                    + "': the property is spelled '" + ConnectionPool.CONNECTION_SELECTOR + "'");
        }
        Object selector = props.get(ConnectionPool.CONNECTION_SELECTOR);
        synchronized (machine) {
            machine.requireOpen();
            ConnectionEntry entry = selector != null ? selected(String.valueOf(selector), type)
                    : anonymous(key, type, props);
            Handle handle = new Handle(this, entry, refId, listener);
            entry.handles.add(handle);
            machine.refresh(entry);
            machine.greet(entry, listener);
            return handle;
        }
    }

    private ConnectionEntry selected(String id, String type) {
        ConnectionEntry entry = machine.entries.get(id);
        if (entry == null || !entry.named || entry.deleting) {
            throw new ConnectionPoolException(Reason.NOT_FOUND, "connection " + id + " not existed");
        }
        String typ = entry.pendingTyp != null ? entry.pendingTyp : entry.typ;
        if (!typ.equals(type)) {
            throw new ConnectionPoolException(Reason.INVALID,
                    "connection " + id + " is of type " + typ + ", not " + type);
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
        for (int suffix = 2; machine.entries.containsKey(id) || machine.reserved.contains(id); suffix++) {
            id = Ids.fromKey(key) + "_" + suffix;
        }
        ConnectorFactory factory = factories.best(type);
        if (factory == null) {
            throw NamedConnections.notInstalled(type, factories);
        }
        List<PropError> problems = machine.problems(type, factory, id, props);
        if (!problems.isEmpty()) {
            throw new ConnectionPoolException(Reason.INVALID, EntryMachine.invalidProps(problems), problems, null);
        }
        entry = machine.newEntry(id, false, anonymousKey, type, props);
        anonymousByKey.put(anonymousKey, entry);
        machine.start(entry);
        return entry;
    }

    void detach(ConnectionHandle handle) {
        if (handle instanceof Handle attachment) {
            detach(attachment);
        }
    }

    private void detach(Handle handle) {
        synchronized (machine) {
            if (!handle.attached) {
                return;
            }
            handle.attached = false;
            ConnectionEntry entry = handle.entry;
            entry.handles.remove(handle);
            if (!entry.named && entry.handles.isEmpty() && !machine.isClosed()) {
                anonymousByKey.remove(entry.key);
                machine.closeInBackground(entry.id, machine.remove(entry));
            } else {
                machine.refresh(entry);
            }
        }
    }

    void failureReported(Handle handle) {
        synchronized (machine) {
            if (handle.attached) {
                machine.failureReported(handle.entry);
            }
        }
    }
}
