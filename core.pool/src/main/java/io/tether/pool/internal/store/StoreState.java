package io.tether.pool.internal.store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the store keeps: the named connections, for each provisioned id the hash of the provisioning entry last
 * applied (SPEC §6), and for each connection type the prop names its factory declared secret, so that they stay
 * masked while the type is not installed (SPEC §5).
 */
public record StoreState(List<StoredConnection> connections, Map<String, String> provisioned,
        Map<String, Set<String>> secretProps) {

    public static final StoreState EMPTY = new StoreState(List.of(), Map.of(), Map.of());

    public StoreState {
        connections = connections == null ? List.of() : List.copyOf(connections);
        provisioned = provisioned == null ? Map.of() : Map.copyOf(provisioned);
        secretProps = secretProps == null ? Map.of() : Map.copyOf(secretProps);
    }

    public StoreState(List<StoredConnection> connections, Map<String, String> provisioned) {
        this(connections, provisioned, Map.of());
    }
}
