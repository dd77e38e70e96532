package io.tether.pool.internal.rest;

import java.util.Map;

import io.tether.api.connection.ConnectionPoolException;

/**
 * What a new connection's id and any props sent must satisfy (README, "Limits"). The id's characters are the pool's
 * rule; its length is checked here, at create only, never against what was stored before: that still loads and can
 * be deleted.
 */
final class RequestLimits {
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_PROP_BYTES = Integer.getInteger("tether.props.maxValueBytes", 64 * 1024);

    private RequestLimits() {
    }

    static void requireNewId(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            throw Json.invalid("id is longer than " + MAX_ID_LENGTH + " characters");
        }
    }

    /** @throws ConnectionPoolException (INVALID) naming the first prop whose value, as JSON, is too large */
    static void requirePropSizes(Map<String, Object> props) {
        props.forEach((name, value) -> {
            if (Json.write(value).length() > MAX_PROP_BYTES) {
                throw Json.invalid("prop " + name + " is larger than " + MAX_PROP_BYTES + " bytes");
            }
        });
    }
}
