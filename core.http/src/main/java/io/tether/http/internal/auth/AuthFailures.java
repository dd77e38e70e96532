package io.tether.http.internal.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed authentications per client address, against password guessing: after {@code limit} failures within
 * {@code windowMillis} of the first, the address is locked out for {@code windowMillis}. Each failure is held against
 * the claimant the credentials named (a Basic user name, say), and a success forgets the failures of its claimant only:
 * a user who mistyped and then got it right is not left near a lock-out, while a guesser who holds one account's
 * credentials cannot wipe out the failures of the account being guessed by logging in with them. At most
 * {@code maxAddresses} addresses are remembered, the one heard from longest ago forgotten first, so that an attack
 * from many addresses cannot make the table grow.
 */
final class AuthFailures {
    private static final class Failures {
        long windowStart;
        int count;
        long lockedUntil;
        /** The window's failures by claimant: fewer than {@code limit} of them, as the lock-out clears them. */
        final Map<String, Integer> byClaimant = new HashMap<>();
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

    /**
     * @param claimant whom the refused credentials claimed to be
     * @return whether this failure locked the address out (once per lock-out)
     */
    synchronized boolean failed(String address, String claimant, long now) {
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
            failures.byClaimant.clear();
        }
        failures.count++;
        failures.byClaimant.merge(claimant, 1, Integer::sum);
        if (failures.count >= limit && failures.lockedUntil <= now) {
            failures.lockedUntil = now + windowMillis;
            failures.count = 0;
            failures.byClaimant.clear();
            return true;
        }
        return false;
    }

    /** Forgets the failures held against the claimant that has just authenticated from the address. */
    synchronized void succeeded(String address, String claimant, long now) {
        Failures failures = byAddress.get(address);
        if (failures == null) {
            return;
        }
        Integer forgiven = failures.byClaimant.remove(claimant);
        if (forgiven != null) {
            failures.count -= forgiven;
        }
        if (failures.count == 0 && failures.lockedUntil <= now) {
            byAddress.remove(address);
        }
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
