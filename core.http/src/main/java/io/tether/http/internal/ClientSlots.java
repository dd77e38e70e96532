package io.tether.http.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counts, per client address, the requests in some phase, up to a bound. */
final class ClientSlots {
    private final int perClient;
    private final ConcurrentMap<String, Integer> inUse = new ConcurrentHashMap<>();

    ClientSlots(int perClient) {
        this.perClient = perClient;
    }

    /** @return whether the client had a free slot, now taken; each true needs one {@link #release} */
    boolean tryAcquire(String client) {
        boolean[] acquired = new boolean[1];
        inUse.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            acquired[0] = current < perClient;
            return acquired[0] ? current + 1 : count;
        });
        return acquired[0];
    }

    void release(String client) {
        inUse.computeIfPresent(client, (address, count) -> count > 1 ? count - 1 : null);
    }

    int inUse(String client) {
        return inUse.getOrDefault(client, 0);
    }

    int limit() {
        return perClient;
    }
}
