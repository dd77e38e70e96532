package io.tether.pool.internal.rest;

import java.util.Map;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;

/**
 * Reads request bodies and writes response bodies with one mapper of our own, so that a body the whiteboard's JSON
 * provider would have rejected is answered in the eKuiper error shape with a message saying what is wrong. Bodies
 * are held to a nesting depth and a string length, and a key given twice in one object is refused (README, "Limits").
 */
final class Json {
    static final int MAX_DEPTH = Integer.getInteger("tether.json.maxDepth", 64);
    static final int MAX_STRING_LENGTH = Integer.getInteger("tether.json.maxStringLength", 1024 * 1024);
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING_LENGTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    /** A response whose body is the value as JSON. */
    static Response.ResponseBuilder response(int status, Object value) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(write(value));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The request body as a JSON object.
     *
     * @throws ConnectionPoolException ({@link Reason#INVALID}) when the body is empty, not JSON, or not an object
     */
    static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("request body is empty: a JSON object is expected");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw invalid("request body is nested deeper than " + MAX_DEPTH + " levels or has a string longer than "
                    + MAX_STRING_LENGTH + " characters");
        } catch (JsonProcessingException e) {
            throw invalid("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw invalid("request body must be a JSON object, not " + describe(node));
    }

    /**
     * A JSON object as a map of plain Java values (maps, lists, strings, numbers, booleans, nulls).
     *
     * @throws ConnectionPoolException ({@link Reason#INVALID}) naming {@code what} when the node is not an object
     */
    static Map<String, Object> toMap(JsonNode node, String what) {
        if (!node.isObject()) {
            throw invalid(what + " must be a JSON object, not " + describe(node));
        }
        return MAPPER.convertValue(node, MAP);
    }

    /** The JSON type of a node as a user reads it: "an array", "a string", "null". */
    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "an object";
        };
    }

    static ConnectionPoolException invalid(String message) {
        return new ConnectionPoolException(Reason.INVALID, message);
    }
}
