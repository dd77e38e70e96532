package io.tether.http.internal.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Browser sessions: a random token (the cookie's value) per login, valid for a while after its last use. At most
 * {@value #MAX_SESSIONS} are kept; the one used longest ago goes first.
 */
final class Sessions {
    static final int MAX_SESSIONS = 1000;

    private record Session(Principal principal, long lastUsed) {
    }

    private final SecureRandom random = new SecureRandom();
    private final long lifetimeMillis;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    Sessions(long lifetimeMillis) {
        this.lifetimeMillis = lifetimeMillis;
    }

    synchronized String open(Principal principal, long now) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(principal, now));
        if (sessions.size() > MAX_SESSIONS) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return token;
    }

    synchronized Optional<Principal> find(String token, long now) {
        Session session = sessions.get(token);
        if (session == null) {
            return Optional.empty();
        }
        if (now - session.lastUsed() > lifetimeMillis) {
            sessions.remove(token);
            return Optional.empty();
        }
        sessions.put(token, new Session(session.principal(), now));
        return Optional.of(session.principal());
    }

    synchronized void close(String token) {
        sessions.remove(token);
    }

    long lifetimeMillis() {
        return lifetimeMillis;
    }
}
