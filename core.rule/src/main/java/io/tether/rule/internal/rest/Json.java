package io.tether.rule.internal.rest;

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

import io.tether.rule.internal.RuleException;

/**
 * Reads request bodies and writes responses with one mapper of our own, so that a bad body is answered in the
 * eKuiper error shape with a message saying what is wrong. Bodies are held to a nesting depth and a string length,
 * and a key given twice in one object is refused (README, "Limits").
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

    static Response response(int status, Object value) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(write(value)).build();
    }

    /** eKuiper answers successful changes with a sentence in plain text. */
    static Response text(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build();
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @throws RuleException (invalid) when the body is empty, not JSON, or not a JSON object
     */
    static Map<String, Object> parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw RuleException.invalid("request body is empty: a JSON object is expected");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw RuleException.invalid("request body is nested deeper than " + MAX_DEPTH
                    + " levels or has a string longer than " + MAX_STRING_LENGTH + " characters");
        } catch (JsonProcessingException e) {
            throw RuleException.invalid("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw RuleException.invalid("request body must be a JSON object");
        }
        return MAPPER.convertValue(node, MAP);
    }
}
