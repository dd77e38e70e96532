package io.tether.http.internal.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed authentications per client address, against password guessing: after {@code limit} failures within
 * {@code windowMillis} of the first, the address is locked out for {@code windowMillis}; a success forgets its
 * failures. At most {@code maxAddresses} addresses are remembered, the one heard from longest ago forgotten first, so
 * that an attack from many addresses cannot make the table grow.
 */
final class AuthFailures {
    private static final class Failures {
        long windowStart;
        int count;
        long lockedUntil;
    }

    private final int limit;
    private final long windowMillis;
    private final int maxAddresses;
    private final LinkedHashMap<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true);

    /** @param limit failures before a lock-out; 0 or less: never locked out */
    AuthFailures(int limit, long windowMillis, int maxAddresses) {
        this.limit = limit;
        this.windowMillis = Math.max(1, windowMillis);
        this.maxAddresses = Math.max(1, maxAddresses);
    }

    /** @return how long the address is still locked out, 0 when it may try */
    synchronized long lockedForMillis(String address, long now) {
        Failures failures = byAddress.get(address);
        return failures == null ? 0 : Math.max(0, failures.lockedUntil - now);
    }

    /** @return whether this failure locked the address out (once per lock-out) */
    synchronized boolean failed(String address, long now) {
        if (limit <= 0) {
            return false;
        }
        Failures failures = byAddress.get(address);
        if (failures == null) {
            failures = new Failures();
            byAddress.put(address, failures);
            forgetEldestBeyondBound();
        }
        if (failures.count == 0 || now - failures.windowStart >= windowMillis) {
            failures.windowStart = now;
            failures.count = 0;
        }
        failures.count++;
        if (failures.count >= limit && failures.lockedUntil <= now) {
            failures.lockedUntil = now + windowMillis;
            failures.count = 0;
            return true;
        }
        return false;
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    private void forgetEldestBeyondBound() {
        Iterator<Map.Entry<String, Failures>> eldest = byAddress.entrySet().iterator();
        while (byAddress.size() > maxAddresses) {
            eldest.next();
            eldest.remove();
        }
    }

    synchronized int addresses() {
        return byAddress.size();
    }

    int limit() {
        return limit;
    }

    long windowMillis() {
        return windowMillis;
    }
}
