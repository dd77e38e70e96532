package io.tether.pool.internal.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.StatusListener;

/** A pool that owns a {@link ConnectionRegistry} (its threads, store, wiring) and serves the pool API through it. */
public abstract class ForwardingConnectionPool implements ConnectionPool {

    protected abstract ConnectionRegistry registry();

    @Override
    public ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
            StatusListener listener) {
        return registry().attach(refId, key, typ, props, listener);
    }

    @Override
    public void detach(ConnectionHandle handle) {
        registry().detach(handle);
    }

    @Override
    public ConnectionInfo create(String id, String typ, Map<String, Object> props) {
        return registry().create(id, typ, props);
    }

    @Override
    public ConnectionInfo update(String id, String typ, Map<String, Object> props) {
        return registry().update(id, typ, props);
    }

    @Override
    public void delete(String id) {
        registry().delete(id);
    }

    @Override
    public Optional<ConnectionInfo> get(String id) {
        return registry().get(id);
    }

    @Override
    public List<ConnectionInfo> list(boolean includeAnonymous) {
        return registry().list(includeAnonymous);
    }

    @Override
    public void check(String typ, Map<String, Object> props, Duration timeout) {
        registry().check(typ, props, timeout);
    }

    @Override
    public Set<String> installedTypes() {
        return registry().installedTypes();
    }

    @Override
    public List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props) {
        return registry().validateProps(typ, part, props);
    }

    @Override
    public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
        return registry().maskSecrets(typ, props, secretNames);
    }

    @Override
    public String maskSecrets(String text) {
        return registry().maskSecrets(text);
    }
}
