package io.tether.pool.internal.rest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tether.api.connection.ConnectionPoolException;

/**
 * The body of a create or update, {@code {"id": "...", "typ": "...", "props": {...}}}. Only its JSON shape is checked
 * here; the pool judges the id, the type and the props.
 *
 * @param id    the id; empty when the body has none, which the pool refuses
 * @param typ   the type, or {@code null} when the body has none
 * @param props the props; empty when the body has none
 */
record ConnectionRequest(String id, String typ, Map<String, Object> props) {

    /** @throws ConnectionPoolException (INVALID) when the body is not such an object */
    static ConnectionRequest parse(String body) {
        ObjectNode json = Json.parseObject(body);
        String id = optionalText(json, "id");
        JsonNode props = json.path("props");
        return new ConnectionRequest(id == null ? "" : id, optionalText(json, "typ"),
                props.isMissingNode() || props.isNull() ? Map.of() : Json.toMap(props, "props"));
    }

    private static String optionalText(ObjectNode json, String field) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Json.invalid(field + " must be a string, not " + Json.describe(value));
        }
        return value.textValue();
    }
}
