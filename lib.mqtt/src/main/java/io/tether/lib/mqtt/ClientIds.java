package io.tether.lib.mqtt;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.tether.api.connection.ConnectionException;

/**
 * The client ids of live connection instances. Two connections with one client id make the broker disconnect each in
 * turn forever; the second one is refused instead. Instances of one connection id (an update's new instance while
 * the old one closes) may share theirs.
 */
public final class ClientIds {
    private record Holder(String connectionId, Object instance) {
    }

    private final Map<String, Holder> holders = new HashMap<>();

    public synchronized void claim(String clientId, String connectionId, Object instance) throws ConnectionException {
        Holder holder = holders.get(clientId);
        if (holder != null && !holder.connectionId().equals(connectionId)) {
            throw ConnectionException.io("clientid '" + clientId + "' is already used by connection "
                    + holder.connectionId() + ": two clients with one id would disconnect each other", null);
        }
        holders.put(clientId, new Holder(connectionId, instance));
    }

    /** The id of the connection holding the client id, when it is not the given one. */
    public synchronized Optional<String> holderOtherThan(String clientId, String connectionId) {
        return Optional.ofNullable(holders.get(clientId))
                .map(Holder::connectionId)
                .filter(holder -> !holder.equals(connectionId));
    }

    public synchronized void release(String clientId, Object instance) {
        Holder holder = holders.get(clientId);
        if (holder != null && holder.instance() == instance) {
            holders.remove(clientId);
        }
    }
}
