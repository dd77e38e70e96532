package io.tether.neuron.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Neuron's messages over the pair0 pipe: an optional 26-byte trace prefix ({@code 0A CE}, trace id[16], span
 * id[8]) and UTF-8 JSON. In, a data message {@code {timestamp, node_name, group_name, values, errors, metas}};
 * out, a write {@code {"group_name","node_name","tags":[{"tag_name","value"}]}} in eKuiper's key order.
 */
final class NeuronMessages {
    static final int TRACE_PREFIX_LENGTH = 2 + 16 + 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final List<String> OBJECT_FIELDS = List.of("values", "errors", "metas");

    private NeuronMessages() {
    }

    /** A received message: its JSON object, and the trace ids of its prefix ({@code null} without one). */
    record Data(Map<String, Object> record, String traceId, String spanId) {
        Map<String, Object> meta(String connectionId) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("connection", connectionId);
            if (traceId != null) {
                meta.put("traceId", traceId);
                meta.put("spanId", spanId);
            }
            return meta;
        }
    }

    /** {@code true} when the body starts with the trace prefix and carries more after it (as eKuiper strips it). */
    static boolean hasTracePrefix(byte[] body) {
        return body.length > TRACE_PREFIX_LENGTH && body[0] == 0x0A && body[1] == (byte) 0xCE;
    }

    /**
     * Decodes a data message, the trace prefix stripped.
     *
     * @throws IOException when the JSON is not an object, or {@code values}, {@code errors} or {@code metas} is
     *                     not an object
     */
    static Data decode(byte[] body) throws IOException {
        boolean traced = hasTracePrefix(body);
        int offset = traced ? TRACE_PREFIX_LENGTH : 0;
        Map<String, Object> record;
        try {
            record = JSON.readValue(body, offset, body.length - offset, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IOException("neuron message is not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (record == null) {
            throw new IOException("neuron message is not a JSON object: null");
        }
        for (String field : OBJECT_FIELDS) {
            Object value = record.get(field);
            if (value != null && !(value instanceof Map)) {
                throw new IOException("neuron message's " + field + " is not an object: " + value);
            }
        }
        if (!traced) {
            return new Data(record, null, null);
        }
        HexFormat hex = HexFormat.of();
        return new Data(record, hex.formatHex(body, 2, 18), hex.formatHex(body, 18, TRACE_PREFIX_LENGTH));
    }

    /**
     * A write of the record's fields as tags: the {@code tags} named, in that order, or every field in the record's
     * order when none are named. Fields named but absent are left out.
     *
     * @return {@code null} when none of the named tags is in the record
     */
    static byte[] write(String nodeName, String groupName, List<String> tags, Map<String, Object> record)
            throws JsonProcessingException {
        List<Map<String, Object>> written = new ArrayList<>();
        for (String tag : tags.isEmpty() ? record.keySet() : tags) {
            if (record.containsKey(tag)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tag_name", tag);
                entry.put("value", record.get(tag));
                written.add(entry);
            }
        }
        if (written.isEmpty()) {
            return null;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("group_name", groupName);
        message.put("node_name", nodeName);
        message.put("tags", written);
        return JSON.writeValueAsBytes(message);
    }
}
