package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns a raw payload into records as the stream's FORMAT says. */
final class Decoder {
    /** The field a binary payload is put in, as eKuiper names it. */
    static final String BINARY_FIELD = "self";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final boolean binary;

    Decoder(String format) {
        this.binary = format.equals("binary");
    }

    /**
     * A JSON object gives one record, a JSON array of objects one record per element.
     *
     * @throws IllegalArgumentException when the payload is not what the format expects
     */
    List<Map<String, Object>> decode(byte[] payload) {
        if (binary) {
            return List.of(Map.of(BINARY_FIELD, payload));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON payload: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node != null && node.isObject()) {
            return List.of(MAPPER.convertValue(node, MAP));
        }
        if (node != null && node.isArray()) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isObject()) {
                    throw new IllegalArgumentException("a JSON array payload must hold objects only");
                }
                records.add(MAPPER.convertValue(element, MAP));
            }
            return records;
        }
        throw new IllegalArgumentException("a JSON payload must be an object or an array of objects");
    }
}
