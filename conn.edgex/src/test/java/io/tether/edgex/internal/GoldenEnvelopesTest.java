package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Envelopes as EdgeX services publish them (test resources under golden/), each decoded to the expected record. */
class GoldenEnvelopesTest {

    static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenEnvelopesTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Readings.Decoded decode(String name, MessageType type) throws Exception {
        return Readings.decode(EnvelopeCodec.decode(golden(name), "edgex/events/device/ds/p/d/s"), type);
    }

    @Test
    void anAddEventRequestAsADeviceServicePublishesItGivesOneTypedValuePerReading() throws Exception {
        Readings.Decoded decoded = decode("add-event-request.json", MessageType.REQUEST);
        Map<String, Object> record = decoded.record();
        assertEquals(List.of(), decoded.problems());
        assertEquals(true, record.get("bool"));
        assertEquals("hello world", record.get("string"));
        assertEquals(255L, record.get("uint8"));
        assertEquals(65535L, record.get("uint16"));
        assertEquals(4294967295L, record.get("uint32"));
        assertEquals(new BigInteger("18446744073709551615"), record.get("uint64"));
        assertEquals(-128L, record.get("int8"));
        assertEquals(-32768L, record.get("int16"));
        assertEquals(-2147483648L, record.get("int32"));
        assertEquals(Long.MIN_VALUE, record.get("int64"));
        assertEquals(1.5, record.get("float32"));
        assertEquals(-2.5e-7, record.get("float64"));
        assertEquals(List.of(true, false), record.get("boolArray"));
        assertEquals(List.of("a", "b c"), record.get("stringArray"), "EdgeX's own [a, b] form, not JSON");
        assertEquals(List.of(1L, 2L, 255L), record.get("uint8Array"));
        assertEquals(List.of(1L, 65535L), record.get("uint16Array"));
        assertEquals(List.of(4294967295L), record.get("uint32Array"));
        assertEquals(List.of(1L, new BigInteger("18446744073709551615")), record.get("uint64Array"));
        assertEquals(List.of(-1L, 2L), record.get("int8Array"));
        assertEquals(List.of(-300L, 300L), record.get("int16Array"));
        assertEquals(List.of(-70000L), record.get("int32Array"));
        assertEquals(List.of(-1L, Long.MAX_VALUE), record.get("int64Array"));
        assertEquals(List.of(1.5, 2.0), record.get("float32Array"));
        assertEquals(List.of(-1.25e10, 0.003), record.get("float64Array"));
        assertArrayEquals(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}, (byte[]) record.get("binary"));
        assertEquals(Map.of("mode", "auto", "level", 3L, "ok", true), record.get("object"));
        assertEquals(List.of(Map.of("a", 1L), Map.of("b", "x")), record.get("objectArray"));
        assertEquals(21.5, record.get("units"));
        assertEquals(28, record.size());
    }

    @Test
    void theMetadataIsEKuipersPerReadingAndPerEvent() throws Exception {
        Map<String, Object> meta = decode("add-event-request.json", MessageType.REQUEST).meta();
        assertEquals("2d4f7e1a-1111-4000-8000-000000000001", meta.get("id"));
        assertEquals("Random-Device-01", meta.get("deviceName"));
        assertEquals("Random-Profile", meta.get("profileName"));
        assertEquals("Random-Source", meta.get("sourceName"));
        assertEquals(1700000000000000000L, meta.get("origin"));
        assertEquals(Map.of("site", "plant-7"), meta.get("tags"));
        assertEquals("0f3c2d1b-3333-4000-8000-000000000003", meta.get("correlationid"));
        assertEquals(Map.of("id", "7a1b5c3e-0000-4000-8000-000000000001", "origin", 1700000000000000001L,
                "deviceName", "Random-Device-01", "profileName", "Random-Profile", "valueType", "Bool"), meta.get("bool"));
        assertEquals("application/octet-stream", ((Map<?, ?>) meta.get("binary")).get("mediaType"));
    }

    @Test
    void theSameRequestWithABase64PayloadGivesTheSameRecordAndMetadata() throws Exception {
        Readings.Decoded embedded = decode("add-event-request.json", MessageType.REQUEST);
        Readings.Decoded base64 = decode("add-event-request-base64.json", MessageType.REQUEST);
        assertEquals(embedded.record().keySet(), base64.record().keySet());
        embedded.record().forEach((field, value) -> {
            if (value instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) base64.record().get(field), field);
            } else {
                assertEquals(value, base64.record().get(field), field);
            }
        });
        assertEquals(embedded.meta(), base64.meta());
    }

    @Test
    void aBareEventAsAppServicesPublishIt() throws Exception {
        Readings.Decoded decoded = decode("event.json", MessageType.EVENT);
        assertEquals(Map.of("temperature", 21.5, "alarm", false), decoded.record());
        assertEquals("rules-engine", decoded.meta().get("deviceName"));
        assertEquals("rule1", decoded.meta().get("sourceName"));
        assertEquals(1700000000000000999L, decoded.meta().get("origin"));
    }

    @Test
    void theEnvelopeFieldsAreRead() throws Exception {
        Envelope envelope = EnvelopeCodec.decode(golden("event.json"), "rules/events");
        assertEquals("v3", envelope.apiVersion());
        assertEquals("rules/events", envelope.receivedTopic());
        assertEquals("0f3c2d1b-3333-4000-8000-000000000003", envelope.correlationId());
        assertEquals("", envelope.requestId());
        assertEquals(0, envelope.errorCode());
        assertEquals("application/json", envelope.contentType());
    }

    @Test
    void malformedMessagesAreRefusedWithTheirReason() throws Exception {
        MalformedMessageException notBase64 = assertThrows(MalformedMessageException.class,
                () -> EnvelopeCodec.decode(golden("malformed-payload.json"), "t"));
        assertTrue(notBase64.getMessage().contains("not base64"), notBase64.getMessage());
        assertThrows(MalformedMessageException.class, () -> EnvelopeCodec.decode(bytes("{\"apiVersion\":"), "t"));
        assertThrows(MalformedMessageException.class, () -> EnvelopeCodec.decode(bytes("[1,2]"), "t"));
        MalformedMessageException wrongType = assertThrows(MalformedMessageException.class,
                () -> decode("add-event-request.json", MessageType.EVENT));
        assertTrue(wrongType.getMessage().contains("set messageType request"), wrongType.getMessage());
        assertThrows(MalformedMessageException.class, () -> decode("event.json", MessageType.REQUEST));
        Envelope error = EnvelopeCodec.decode(bytes("{\"errorCode\":1,\"payload\":\"" + java.util.Base64.getEncoder()
                .encodeToString(bytes("device down")) + "\",\"contentType\":\"text/plain\"}"), "t");
        MalformedMessageException carried = assertThrows(MalformedMessageException.class,
                () -> Readings.decode(error, MessageType.EVENT));
        assertTrue(carried.getMessage().contains("device down"), carried.getMessage());
    }

    @Test
    void aReadingWhoseValueDoesNotReadAsItsTypeIsLeftOutAndReported() throws Exception {
        String payload = "{\"apiVersion\":\"v3\",\"id\":\"e\",\"deviceName\":\"d\",\"profileName\":\"p\",\"sourceName\":\"s\","
                + "\"origin\":1,\"readings\":[{\"resourceName\":\"a\",\"valueType\":\"Int32\",\"value\":\"x\"},"
                + "{\"resourceName\":\"b\",\"valueType\":\"Int32\",\"value\":\"7\"}]}";
        Envelope envelope = new Envelope("v3", "t", "c", "", 0, bytes(payload), "application/json", Map.of());
        Readings.Decoded decoded = Readings.decode(envelope, MessageType.EVENT);
        assertEquals(Map.of("b", 7L), decoded.record());
        assertEquals(1, decoded.problems().size(), decoded.problems().toString());
    }

    @Test
    void float32ReadingsHaveFloatPrecisionAsInEKuiperFloat64ReadingsAndNumberArraysDoubleOnes() throws Exception {
        String payload = "{\"apiVersion\":\"v3\",\"id\":\"e\",\"deviceName\":\"d\",\"profileName\":\"p\",\"sourceName\":\"s\","
                + "\"origin\":1,\"readings\":["
                + "{\"resourceName\":\"f32\",\"valueType\":\"Float32\",\"value\":\"1.1e+00\"},"
                + "{\"resourceName\":\"f64\",\"valueType\":\"Float64\",\"value\":\"1.1e+00\"},"
                + "{\"resourceName\":\"f32strings\",\"valueType\":\"Float32Array\",\"value\":\"[\\\"1.1e+00\\\", \\\"2e+00\\\"]\"},"
                + "{\"resourceName\":\"f32numbers\",\"valueType\":\"Float32Array\",\"value\":\"[1.1e+00, 2e+00]\"},"
                + "{\"resourceName\":\"f64strings\",\"valueType\":\"Float64Array\",\"value\":\"[\\\"1.1e+00\\\"]\"}]}";
        Envelope envelope = new Envelope("v3", "t", "c", "", 0, bytes(payload), "application/json", Map.of());
        Readings.Decoded decoded = Readings.decode(envelope, MessageType.EVENT);
        assertEquals(List.of(), decoded.problems());
        // Go: strconv.ParseFloat("1.1e+00", 32) = float64(float32(1.1))
        assertEquals(1.100000023841858, decoded.record().get("f32"));
        assertEquals(1.1, decoded.record().get("f64"));
        // eKuiper narrows a Float32Array's elements only when they are JSON strings; numbers are read as float64
        assertEquals(List.of(1.100000023841858, 2.0), decoded.record().get("f32strings"));
        assertEquals(List.of(1.1, 2.0), decoded.record().get("f32numbers"));
        assertEquals(List.of(1.1), decoded.record().get("f64strings"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
