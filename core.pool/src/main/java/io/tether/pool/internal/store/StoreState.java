package io.tether.pool.internal.store;

import java.util.List;
import java.util.Map;

/**
 * Everything the store keeps: the named connections, and for each provisioned id the hash of the provisioning
 * entry last applied (SPEC §6).
 */
public record StoreState(List<StoredConnection> connections, Map<String, String> provisioned) {

    public static final StoreState EMPTY = new StoreState(List.of(), Map.of());

    public StoreState {
        connections = List.copyOf(connections);
        provisioned = Map.copyOf(provisioned);
    }
}
