package io.tether.edgex.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the Event (or AddEventRequest) that an EdgeX sink publishes for one emission, as eKuiper's sink does: one
 * event for all the emission's records, one reading per non-null field. A reading's {@code valueType} comes from the
 * {@code metadata} field's reading metadata when it names one, otherwise from the value, and its value is written as
 * EdgeX writes values of that type ({@code "true"}, {@code "-5"}, {@code "1.5e+00"}, {@code "[1, 2]"},
 * {@code "[a, b]"}; {@code binaryValue} in base64; {@code objectValue} as JSON). Fields whose value does not fit its
 * type are left out and reported.
 */
final class EventBuilder {
    /** What to publish: the payload (JSON), its topic, and the fields left out. */
    record Built(String topic, byte[] payload, String requestId, List<String> problems) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final SinkSettings settings;
    private final String ruleId;
    private final Supplier<String> uuids;
    private final LongSupplier nanos;

    EventBuilder(SinkSettings settings, String ruleId) {
        this(settings, ruleId, () -> UUID.randomUUID().toString(),
                () -> System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L);
    }

    EventBuilder(SinkSettings settings, String ruleId, Supplier<String> uuids, LongSupplier nanos) {
        this.settings = settings;
        this.ruleId = ruleId;
        this.uuids = uuids;
        this.nanos = nanos;
    }

    Built build(List<Map<String, Object>> records) {
        Map<String, Object> meta = metadata(records);
        long origin = meta.get("origin") instanceof Number number ? number.longValue() : nanos.getAsLong();
        String device = text(meta.get("deviceName"), settings.deviceName());
        String profile = text(meta.get("profileName"), settings.profileName());
        String source = text(meta.get("sourceName"), settings.sourceName() == null ? ruleId : settings.sourceName());
        ObjectNode event = NODES.objectNode();
        event.put("apiVersion", Envelope.API_VERSION);
        event.put("id", text(meta.get("id"), uuids.get()));
        event.put("deviceName", device);
        event.put("profileName", profile);
        event.put("sourceName", source);
        event.put("origin", origin);
        ArrayNode readings = event.putArray("readings");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> record : records) {
            record.forEach((field, value) -> {
                if (value == null || field.equals(settings.metadata())) {
                    return;
                }
                Map<?, ?> readingMeta = meta.get(field) instanceof Map<?, ?> m ? m : Map.of();
                try {
                    readings.add(reading(field, value, readingMeta, device, profile));
                } catch (IllegalArgumentException e) {
                    problems.add("field " + field + ": " + e.getMessage());
                }
            });
        }
        if (meta.get("tags") instanceof Map<?, ?> tags && !tags.isEmpty()) {
            event.set("tags", EnvelopeCodec.MAPPER.valueToTree(tags));
        }
        String requestId = "";
        ObjectNode payload = event;
        if (settings.messageType() == MessageType.REQUEST) {
            requestId = uuids.get();
            payload = NODES.objectNode();
            payload.put("apiVersion", Envelope.API_VERSION);
            payload.put("requestId", requestId);
            payload.set("event", event);
        }
        try {
            return new Built(settings.topicOf(profile, device, source), EnvelopeCodec.MAPPER.writeValueAsBytes(payload),
                    requestId, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> metadata(List<Map<String, Object>> records) {
        if (!settings.metadata().isEmpty()) {
            for (Map<String, Object> record : records) {
                if (record.get(settings.metadata()) instanceof Map<?, ?> found) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> meta = (Map<String, Object>) found;
                    return meta;
                }
            }
        }
        return Map.of();
    }

    private ObjectNode reading(String name, Object value, Map<?, ?> meta, String device, String profile) {
        String valueType = meta.get("valueType") instanceof String given ? given : valueType(value);
        ObjectNode reading = NODES.objectNode();
        reading.put("id", text(meta.get("id"), uuids.get()));
        reading.put("origin", meta.get("origin") instanceof Number number ? number.longValue() : nanos.getAsLong());
        reading.put("deviceName", text(meta.get("deviceName"), device));
        reading.put("resourceName", name);
        reading.put("profileName", text(meta.get("profileName"), profile));
        reading.put("valueType", valueType);
        switch (valueType) {
            case "Binary" -> {
                reading.put("binaryValue", binary(value));
                reading.put("mediaType", text(meta.get("mediaType"), "application/text"));
            }
            case "Object", "ObjectArray" -> reading.set("objectValue", EnvelopeCodec.MAPPER.valueToTree(value));
            default -> reading.put("value", ValueStrings.format(valueType, value));
        }
        return reading;
    }

    /** The valueType EdgeX gives a Go value of the kind the rule produced (integers as Int64, as eKuiper's int). */
    static String valueType(Object value) {
        if (value instanceof Boolean) {
            return "Bool";
        }
        if (value instanceof String) {
            return "String";
        }
        if (value instanceof Byte) {
            return "Int8";
        }
        if (value instanceof Short) {
            return "Int16";
        }
        if (value instanceof Integer || value instanceof Long) {
            return "Int64";
        }
        if (value instanceof BigInteger big) {
            return big.signum() >= 0 && big.bitLength() <= 64 ? "Uint64" : "Float64";
        }
        if (value instanceof Float) {
            return "Float32";
        }
        if (value instanceof Double || value instanceof BigDecimal) {
            return "Float64";
        }
        if (value instanceof byte[]) {
            return "Binary";
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return "StringArray";
            }
            String element = valueType(list.get(0));
            return switch (element) {
                case "Bool", "String", "Int8", "Int16", "Int64", "Uint64", "Float32", "Float64" -> element + "Array";
                default -> "Object";
            };
        }
        return "Object";
    }

    private static String binary(Object value) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof String text) {
            Base64.getDecoder().decode(text);
            return text;
        }
        throw new IllegalArgumentException("not binary: " + value);
    }

    private static String text(Object value, String fallback) {
        return value instanceof String text && !text.isEmpty() ? text : fallback;
    }
}
