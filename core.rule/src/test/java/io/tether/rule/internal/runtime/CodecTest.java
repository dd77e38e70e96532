package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.rule.internal.sql.Sql;

class CodecTest {

    private static Decoder decoder(String format) {
        return decoder("", format);
    }

    private static Decoder decoder(String fields, String format) {
        return new Decoder(Sql.parseStream("CREATE STREAM s (" + fields + ") WITH (FORMAT=\"" + format + "\")"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> encode(boolean sendSingle, List<Map<String, Object>> records) {
        return new JsonEncoder(sendSingle).encode(records).stream()
                .map(payload -> new String(payload, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void encodesAnEmissionAsOneArrayOrOneObjectPerRecord() {
        List<Map<String, Object>> records = List.of(Map.of("a", 1), Map.of("a", 2));
        assertEquals(List.of("[{\"a\":1},{\"a\":2}]"), encode(false, records));
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), encode(true, records));
    }

    @Test
    void decodesJsonObjectsAndArrays() {
        Decoder json = decoder("json");
        assertEquals(List.of(Map.of("a", 1)), json.decode(bytes("{\"a\": 1}")));
        assertEquals(List.of(Map.of("a", 1), Map.of("b", Map.of("c", true))),
                json.decode(bytes("[{\"a\": 1}, {\"b\": {\"c\": true}}]")));
        assertEquals(List.of(Map.of("t", 21.5, "big", 3_000_000_000L)),
                json.decode(bytes("{\"t\": 21.5, \"big\": 3000000000}")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> json.decode(bytes("{oops")))
                .getMessage().startsWith("invalid JSON payload: "));
        assertEquals("a JSON payload must be an object or an array of objects",
                assertThrows(IllegalArgumentException.class, () -> json.decode(bytes("42"))).getMessage());
        assertEquals("a JSON array payload must hold objects only",
                assertThrows(IllegalArgumentException.class, () -> json.decode(bytes("[1]"))).getMessage());
    }

    @Test
    void binaryPayloadsGoInTheSelfField() {
        byte[] payload = {1, 2, 3};
        assertArrayEquals(payload, (byte[]) decoder("binary").decode(payload).get(0).get("self"));
    }

    @Test
    void aBinaryStreamDeclaringItsByteaFieldGetsThePayloadThere() {
        byte[] payload = {1, 2, 3};
        assertEquals(List.of("image"), List.copyOf(decoder("image BYTEA", "binary").decode(payload).get(0).keySet()));
    }

    @Test
    void decodedAndHandedOnRecordsAreFittedToTheDeclaredFields() {
        Decoder typed = decoder("id BIGINT, name STRING", "json");
        assertEquals(List.of(Map.of("id", 1L, "name", "2")), typed.decode(bytes("{\"id\": 1, \"name\": 2, \"x\": 3}")));
        assertEquals(Map.of("id", 5L), typed.conform(Map.of("id", 5, "y", true)));
        assertEquals("field id is declared bigint but got float 1.5",
                assertThrows(IllegalArgumentException.class, () -> typed.decode(bytes("[{\"id\": 1}, {\"id\": 1.5}]")))
                        .getMessage());
    }

    @Test
    void datetimesAreEncodedAsIsoText() {
        List<Map<String, Object>> records = List.of(Map.of("at", Instant.parse("2024-01-01T00:00:00Z")),
                Map.of("at", LocalDateTime.of(2024, 1, 1, 8, 30, 15)));
        assertEquals(List.of("{\"at\":\"2024-01-01T00:00:00Z\"}", "{\"at\":\"2024-01-01T08:30:15\"}"),
                encode(true, records));
    }
}
