package io.tether.api.connection;

import java.util.Map;
import java.util.Objects;

/**
 * What the pool shows of a connection: the REST API's connection object.
 *
 * @param id     the connection id
 * @param typ    the connection type
 * @param props  the props with every secret masked
 * @param named  {@code true} for a named connection, {@code false} for an anonymous one
 * @param status the last known status
 */
public record ConnectionInfo(String id, String typ, Map<String, Object> props, boolean named,
        ConnectionStatus status) {

    public ConnectionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(typ, "typ");
        props = Map.copyOf(props);
        Objects.requireNonNull(status, "status");
    }
}
