package io.tether.pool.internal.store;

import java.util.Map;

/** A named connection as the store keeps it: props unmasked. */
public record StoredConnection(String id, String typ, Map<String, Object> props) {

    public StoredConnection {
        props = Map.copyOf(props);
    }
}
