package io.tether.pool.internal.registry;

import java.util.regex.Pattern;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;

/** The rules for connection ids (SPEC §1). */
public final class Ids {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]+");

    private Ids() {
    }

    public static void requireValid(String id) {
        if (id == null || id.isEmpty()) {
            throw new ConnectionPoolException(Reason.INVALID, "id cannot be empty");
        }
        if (!id.strip().equals(id)) {
            throw new ConnectionPoolException(Reason.INVALID,
                    "id '" + id + "' contains leading or trailing whitespace");
        }
        if (!VALID.matcher(id).matches()) {
            throw new ConnectionPoolException(Reason.INVALID, "id '" + id
                    + "' contains invalid characters: only alphanumeric, hyphens and underscores are allowed");
        }
    }

    /** An id made of a consumer's key, for an anonymous connection. */
    static String fromKey(String key) {
        return "anon_" + key.replaceAll("[^a-zA-Z0-9_-]", "_");
    }
}
