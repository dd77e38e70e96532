package io.tether.pool.internal.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.pool.internal.registry.SecretMasker;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.pool.internal.registry.Ids;

/**
 * An in-memory pool that refuses calls the way SPEC §1 and §5 say the real one does. Types: {@code mqtt} (its
 * {@code server} prop must start with {@code tcp://}; a check reaches only {@code tcp://reachable:1883}) and
 * {@code httppush} (cannot check).
 */
final class FakeConnectionPool implements ConnectionPool {
    static final ConnectionStatus CONNECTING = new ConnectionStatus(Status.CONNECTING, null, 0, 0, 0, List.of());

    private final Map<String, ConnectionInfo> connections = new TreeMap<>();
    Duration lastCheckTimeout;

    /** Puts a connection in as it is, for the states the API cannot create (anonymous, referenced). */
    void put(ConnectionInfo info) {
        connections.put(info.id(), info);
    }

    @Override
    public ConnectionInfo create(String id, String typ, Map<String, Object> props) {
        Ids.requireValid(id);
        validate(typ, props);
        if (connections.containsKey(id)) {
            throw new ConnectionPoolException(Reason.CONFLICT, "connection " + id + " already exists");
        }
        ConnectionInfo created = new ConnectionInfo(id, typ, props, true, CONNECTING);
        connections.put(id, created);
        return created;
    }

    @Override
    public ConnectionInfo update(String id, String typ, Map<String, Object> props) {
        ConnectionInfo old = get(id).orElseThrow(
                () -> new ConnectionPoolException(Reason.NOT_FOUND, "connection " + id + " not existed"));
        if (!old.named()) {
            throw new ConnectionPoolException(Reason.CONFLICT, "internal connection " + id + " can't be edit");
        }
        if (!old.typ().equals(typ) && old.status().refCount() > 0) {
            throw referenced(old);
        }
        validate(typ, props);
        ConnectionInfo updated = new ConnectionInfo(id, typ, props, true, old.status());
        connections.put(id, updated);
        return updated;
    }

    @Override
    public void delete(String id) {
        ConnectionInfo old = get(id).orElse(null);
        if (old == null) {
            return;
        }
        if (!old.named()) {
            throw new ConnectionPoolException(Reason.CONFLICT, "internal connection " + id + " can't be edit");
        }
        if (old.status().refCount() > 0) {
            throw referenced(old);
        }
        connections.remove(id);
    }

    @Override
    public Optional<ConnectionInfo> get(String id) {
        Ids.requireValid(id);
        return Optional.ofNullable(connections.get(id));
    }

    @Override
    public List<ConnectionInfo> list(boolean includeAnonymous) {
        return connections.values().stream().filter(c -> includeAnonymous || c.named()).toList();
    }

    @Override
    public void check(String typ, Map<String, Object> props, Duration timeout) {
        lastCheckTimeout = timeout;
        validate(typ, props);
        if (typ.equals("httppush")) {
            throw new ConnectionPoolException(Reason.UNSUPPORTED, "connection type httppush cannot check");
        }
        if (!"tcp://reachable:1883".equals(props.get("server"))) {
            throw new ConnectionPoolException(Reason.UNREACHABLE,
                    "dial " + props.get("server") + ": connection refused");
        }
    }

    @Override
    public Set<String> installedTypes() {
        return new TreeSet<>(Set.of("httppush", "mqtt"));
    }

    @Override
    public List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props) {
        return List.of();
    }

    @Override
    public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
        return SecretMasker.mask(props, secretNames);
    }

    @Override
    public String maskSecrets(String text) {
        return SecretMasker.maskText(text);
    }

    @Override
    public ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
            StatusListener listener) {
        throw new UnsupportedOperationException("not used by the REST layer");
    }

    @Override
    public void detach(ConnectionHandle handle) {
        throw new UnsupportedOperationException("not used by the REST layer");
    }

    private void validate(String typ, Map<String, Object> props) {
        if (!installedTypes().contains(typ)) {
            throw new ConnectionPoolException(Reason.INVALID,
                    "connector type '" + typ + "' is not installed; installed types: " + installedTypes());
        }
        Object server = props.get("server");
        if (typ.equals("mqtt") && !(server instanceof String s && s.startsWith("tcp://"))) {
            PropError error = new PropError("server", "must be a tcp:// URL");
            throw new ConnectionPoolException(Reason.INVALID, "invalid props: server: must be a tcp:// URL",
                    List.of(error), null);
        }
    }

    private static ConnectionPoolException referenced(ConnectionInfo info) {
        return new ConnectionPoolException(Reason.CONFLICT, "connection " + info.id()
                + " can't be dropped due to rule references " + info.status().refs().toString().replace(",", ""));
    }
}
