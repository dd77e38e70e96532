package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.rule.internal.sql.StreamDefinition;
import io.tether.rule.internal.sql.StreamSchema;

/** Turns a raw payload into records as the stream's FORMAT says, conformed to the fields the stream declares. */
final class Decoder {
    /** The field a binary payload is put in when the stream does not declare one, as eKuiper names it. */
    static final String BINARY_FIELD = "self";

    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        // straight to maps and lists: one pass, where a tree converted afterwards costs two
        Object value;
        try {
            value = MAPPER.readValue(payload, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON payload: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (value instanceof Map<?, ?> object) {
            return List.of(conform(record(object)));
        }
        if (value instanceof List<?> array) {
            List<Map<String, Object>> records = new ArrayList<>(array.size());
            for (Object element : array) {
                if (!(element instanceof Map<?, ?> object)) {
                    throw new IllegalArgumentException("a JSON array payload must hold objects only");
                }
                records.add(conform(record(object)));
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

    /** A decoded JSON object: its keys are strings. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<?, ?> object) {
        return (Map<String, Object>) object;
    }
}
