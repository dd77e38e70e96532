package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.rule.internal.sql.StreamDefinition;
import io.tether.rule.internal.sql.StreamSchema;

/** Turns a raw payload into records as the stream's FORMAT says, conformed to the fields the stream declares. */
final class Decoder {
    /** The field a binary payload is put in when the stream does not declare one, as eKuiper names it. */
    static final String BINARY_FIELD = "self";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final boolean binary;
    private final String binaryField;
    private final StreamSchema schema;

    Decoder(StreamDefinition stream) {
        this.binary = stream.format().equals("binary");
        this.binaryField = stream.fields().isEmpty() ? BINARY_FIELD : stream.fields().get(0).name();
        this.schema = StreamSchema.of(stream);
    }

    /**
     * A JSON object gives one record, a JSON array of objects one record per element.
     *
     * @throws IllegalArgumentException when the payload is not what the format expects, or a record does not fit
     *                                  the stream's declared fields
     */
    List<Map<String, Object>> decode(byte[] payload) {
        if (binary) {
            return List.of(Map.of(binaryField, payload));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON payload: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node != null && node.isObject()) {
            return List.of(conform(MAPPER.convertValue(node, MAP)));
        }
        if (node != null && node.isArray()) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isObject()) {
                    throw new IllegalArgumentException("a JSON array payload must hold objects only");
                }
                records.add(conform(MAPPER.convertValue(element, MAP)));
            }
            return records;
        }
        throw new IllegalArgumentException("a JSON payload must be an object or an array of objects");
    }

    /**
     * A record a source hands on as it is, conformed to the stream's declared fields.
     *
     * @throws IllegalArgumentException when it does not fit them
     */
    Map<String, Object> conform(Map<String, Object> record) {
        return schema.conform(record);
    }
}
