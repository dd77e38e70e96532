package io.tether.rule.internal.runtime;

import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import io.tether.api.io.Encoder;

/** eKuiper's sink encoding (SPEC §7): one JSON array per emission, or one JSON object per record with sendSingle. */
final class JsonEncoder implements Encoder {
    /** Datetimes (from {@code cast(x, "datetime")} or a SQL source) as ISO 8601 text, as eKuiper writes them. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Temporal.class, ToStringSerializer.instance));

    private final boolean sendSingle;

    JsonEncoder(boolean sendSingle) {
        this.sendSingle = sendSingle;
    }

    @Override
    public List<byte[]> encode(List<Map<String, Object>> records) {
        if (sendSingle) {
            return records.stream().map(JsonEncoder::write).toList();
        }
        return List.of(write(records));
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
