package io.tether.api.connection;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a connection's status.
 *
 * @param status           the current state
 * @param err              the last error text, or {@code null} when there is none (cleared on {@code connected})
 * @param lastConnected    Unix ms of the last successful connect, 0 when never
 * @param lastDisconnected Unix ms of the last disconnect, 0 when never
 * @param lastTry          Unix ms of the last dial attempt, 0 when never
 * @param refs             the reference ids of the consumers attached to the connection, sorted
 */
public record ConnectionStatus(Status status, String err, long lastConnected, long lastDisconnected, long lastTry,
        List<String> refs) {

    public ConnectionStatus {
        Objects.requireNonNull(status, "status");
        refs = List.copyOf(refs);
    }

    public int refCount() {
        return refs.size();
    }
}
