package io.tether.edgex.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An Event's readings as one record, {@code {resourceName: typed value}}, with the metadata eKuiper exposes: per
 * reading (under its resource name) {@code id}, {@code origin}, {@code deviceName}, {@code profileName},
 * {@code valueType} and {@code mediaType} when set; per event {@code id}, {@code deviceName}, {@code profileName},
 * {@code sourceName}, {@code origin}, {@code tags} and the envelope's {@code correlationid}.
 * <p>
 * Values are typed by {@code valueType} as eKuiper reads them: {@code Bool} as Go's ParseBool, the integer types as
 * {@code Long} ({@code Uint64} beyond {@code Long} as {@code BigInteger}), floats in any notation as {@code Double}
 * ({@code Float32} rounded to float precision first, as Go's {@code ParseFloat(v, 32)}),
 * arrays from their JSON text (float arrays also as JSON strings; {@code StringArray} also in EdgeX's own
 * {@code [a, b]} form, which is not JSON), {@code Binary} as its bytes, {@code Object} as its value. An unknown type
 * keeps the text. A value that does not read as its type is left out and reported.
 */
final class Readings {
    /** A decoded event: the record (empty when no reading had a name), its metadata, and the readings left out. */
    record Decoded(Map<String, Object> record, Map<String, Object> meta, List<String> problems) {
    }

    private Readings() {
    }

    static Decoded decode(Envelope envelope, MessageType type) throws MalformedMessageException {
        if (envelope.errorCode() != 0) {
            throw new MalformedMessageException("the envelope carries an error (errorCode " + envelope.errorCode()
                    + "): " + new String(envelope.payload(), java.nio.charset.StandardCharsets.UTF_8), null);
        }
        JsonNode payload = envelope.payloadJson();
        try {
            if (payload == null) {
                payload = EnvelopeCodec.MAPPER.readTree(envelope.payload());
            }
        } catch (java.io.IOException e) {
            throw new MalformedMessageException("the payload is not JSON: " + e.getMessage(), e);
        }
        if (payload == null || !payload.isObject()) {
            throw new MalformedMessageException("the payload is not an EdgeX " + name(type) + ": "
                    + EnvelopeCodec.kind(payload), null);
        }
        JsonNode event = payload;
        if (type == MessageType.REQUEST) {
            event = payload.path("event");
            if (!event.isObject()) {
                throw new MalformedMessageException("the payload is not an AddEventRequest: it has no event"
                        + (payload.has("readings") ? " (a bare Event: set messageType event)" : ""), null);
            }
        } else if (!payload.has("readings") && payload.path("event").isObject()) {
            throw new MalformedMessageException(
                    "the payload is an AddEventRequest, not a bare Event: set messageType request", null);
        }
        JsonNode readings = event.path("readings");
        if (!readings.isMissingNode() && !readings.isNull() && !readings.isArray()) {
            throw new MalformedMessageException("readings is not an array: " + EnvelopeCodec.kind(readings), null);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode reading : readings) {
            String name = reading.path("resourceName").asText("");
            if (name.isEmpty()) {
                problems.add("a reading has no resourceName");
                continue;
            }
            String valueType = reading.path("valueType").asText("");
            try {
                record.put(name, value(reading, valueType));
            } catch (RuntimeException | JsonProcessingException e) {
                problems.add("reading " + name + " of valueType " + valueType + ": " + e.getMessage());
            }
            Map<String, Object> readingMeta = new LinkedHashMap<>();
            readingMeta.put("id", reading.path("id").asText(""));
            readingMeta.put("origin", reading.path("origin").asLong(0));
            readingMeta.put("deviceName", reading.path("deviceName").asText(""));
            readingMeta.put("profileName", reading.path("profileName").asText(""));
            readingMeta.put("valueType", valueType);
            if (!reading.path("mediaType").asText("").isEmpty()) {
                readingMeta.put("mediaType", reading.path("mediaType").asText());
            }
            meta.put(name, readingMeta);
        }
        if (!record.isEmpty()) {
            meta.put("id", event.path("id").asText(""));
            meta.put("deviceName", event.path("deviceName").asText(""));
            meta.put("profileName", event.path("profileName").asText(""));
            meta.put("sourceName", event.path("sourceName").asText(""));
            meta.put("origin", event.path("origin").asLong(0));
            meta.put("tags", event.path("tags").isObject() ? toJava(event.path("tags")) : Map.of());
            meta.put("correlationid", envelope.correlationId());
        }
        return new Decoded(record, meta, problems);
    }

    private static String name(MessageType type) {
        return type == MessageType.REQUEST ? "AddEventRequest" : "Event";
    }

    private static Object value(JsonNode reading, String valueType) throws JsonProcessingException {
        JsonNode value = reading.path("value");
        switch (valueType) {
            case "Binary":
                JsonNode binary = reading.path("binaryValue");
                return binary.isNull() || binary.isMissingNode() ? null : Base64.getDecoder().decode(binary.asText());
            case "Object", "ObjectArray":
                return toJava(reading.path("objectValue"));
            default:
                break;
        }
        if (value.isNull() || value.isMissingNode()) {
            return null;
        }
        String text = value.asText();
        switch (valueType) {
            case "Bool":
                return GoFormats.parseBool(text);
            case "Int8", "Int16", "Int32", "Int64", "Uint8", "Uint16", "Uint32":
                return Long.parseLong(text.strip());
            case "Uint64":
                return unsigned(text.strip());
            case "Float32":
                return GoFormats.parseFloat32(text);
            case "Float64":
                return GoFormats.parseFloat(text);
            case "String":
                return text;
            case "BoolArray":
                return list(text, element -> {
                    if (!element.isBoolean()) {
                        throw new IllegalArgumentException("not a bool array: " + text);
                    }
                    return element.booleanValue();
                });
            case "Int8Array", "Int16Array", "Int32Array", "Int64Array", "Uint8Array", "Uint16Array", "Uint32Array":
                return list(text, element -> {
                    if (!element.canConvertToLong() || !element.isIntegralNumber()) {
                        throw new IllegalArgumentException("not an integer array: " + text);
                    }
                    return element.longValue();
                });
            case "Uint64Array":
                return list(text, element -> {
                    if (!element.isIntegralNumber() || element.bigIntegerValue().signum() < 0) {
                        throw new IllegalArgumentException("not an unsigned integer array: " + text);
                    }
                    return element.canConvertToLong() ? (Object) element.longValue() : element.bigIntegerValue();
                });
            case "Float32Array", "Float64Array":
                boolean float32 = valueType.equals("Float32Array");
                return list(text, element -> {
                    // eKuiper narrows only a string array's elements; a number array is read as float64s
                    if (element.isTextual()) {
                        return float32 ? GoFormats.parseFloat32(element.asText()) : GoFormats.parseFloat(element.asText());
                    }
                    if (!element.isNumber()) {
                        throw new IllegalArgumentException("not a float array: " + text);
                    }
                    return element.doubleValue();
                });
            case "StringArray":
                return stringArray(text);
            default:
                return text;
        }
    }

    private static Object unsigned(String text) {
        BigInteger value = new BigInteger(text);
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new NumberFormatException("out of range for Uint64: " + text);
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private interface Element {
        Object read(JsonNode element);
    }

    private static List<Object> list(String text, Element element) throws JsonProcessingException {
        JsonNode array = EnvelopeCodec.MAPPER.readTree(text);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("not a JSON array: " + text);
        }
        List<Object> values = new ArrayList<>(array.size());
        array.forEach(node -> values.add(element.read(node)));
        return values;
    }

    /** A JSON string array, or EdgeX's own form ({@code fmt %v} with {@code ", "} between): {@code [a, b]}. */
    private static List<Object> stringArray(String text) {
        try {
            return list(text, element -> {
                if (!element.isTextual()) {
                    throw new IllegalArgumentException("not a string array: " + text);
                }
                return element.asText();
            });
        } catch (JsonProcessingException | IllegalArgumentException notJson) {
            String trimmed = text.strip();
            if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
                throw new IllegalArgumentException("not a string array: " + text);
            }
            String inner = trimmed.substring(1, trimmed.length() - 1);
            return inner.isEmpty() ? List.of() : List.of((Object[]) inner.split(", ", -1));
        }
    }

    /** A JSON value as the rule layer's records hold values: integers as Long (BigInteger beyond), floats as Double. */
    static Object toJava(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(entry -> map.put(entry.getKey(), toJava(entry.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toJava(element)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
