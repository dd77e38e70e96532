package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NeuronMessagesTest {
    static final String DATA = "{\"node_name\":\"node1\",\"group_name\":\"group1\",\"timestamp\":1646125996000,"
            + "\"values\":{\"tag_name1\":11.22,\"tag_name2\":\"yellow\"},\"errors\":{\"tag_name3\":122},"
            + "\"metas\":{\"tag_name1\":{\"unit\":\"C\"}}}";
    static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
    static final String SPAN_ID = "1112131415161718";

    /** The data message with Neuron's trace prefix: {@code 0A CE}, trace id, span id. */
    static byte[] traced(String json) {
        byte[] prefix = HexFormat.of().parseHex("0ace" + TRACE_ID + SPAN_ID);
        byte[] body = json.getBytes(UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return message;
    }

    @Test
    void aDataMessageBecomesARecord() throws IOException {
        NeuronMessages.Data data = NeuronMessages.decode(DATA.getBytes(UTF_8));
        assertEquals("node1", data.record().get("node_name"));
        assertEquals("group1", data.record().get("group_name"));
        assertEquals(1646125996000L, data.record().get("timestamp"));
        assertEquals(Map.of("tag_name1", 11.22, "tag_name2", "yellow"), data.record().get("values"));
        assertEquals(Map.of("tag_name3", 122), data.record().get("errors"));
        assertEquals(Map.of("tag_name1", Map.of("unit", "C")), data.record().get("metas"));
        assertNull(data.traceId());
        assertEquals(Map.of("connection", "c1"), data.meta("c1"));
    }

    @Test
    void theTracePrefixIsStrippedAndItsIdsKept() throws IOException {
        NeuronMessages.Data data = NeuronMessages.decode(traced(DATA));
        assertEquals(NeuronMessages.decode(DATA.getBytes(UTF_8)).record(), data.record());
        assertEquals(TRACE_ID, data.traceId());
        assertEquals(SPAN_ID, data.spanId());
        assertEquals(Map.of("connection", "c1", "traceId", TRACE_ID, "spanId", SPAN_ID), data.meta("c1"));
    }

    @Test
    void whatIsNotADataMessageFailsWithTheReason() {
        for (String bad : List.of("[1,2]", "not json", "", "{\"values\":[1]}", "{\"errors\":3}")) {
            IOException failure = assertThrows(IOException.class, () -> NeuronMessages.decode(bad.getBytes(UTF_8)),
                    bad);
            assertEquals(true, failure.getMessage().startsWith("neuron message"), failure.getMessage());
        }
    }

    @Test
    void aWriteHasEkuipersKeyOrderAndTheRecordsFieldOrder() throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("temperature", 25);
        record.put("humidity", 60.5);
        record.put("status", "ok");
        assertEquals("{\"group_name\":\"grp\",\"node_name\":\"test1\",\"tags\":[{\"tag_name\":\"temperature\","
                + "\"value\":25},{\"tag_name\":\"humidity\",\"value\":60.5},{\"tag_name\":\"status\",\"value\":\"ok\"}]}",
                new String(NeuronMessages.write("test1", "grp", List.of(), record), UTF_8));
    }

    @Test
    void namedTagsAreWrittenInTheirOrderAndAbsentOnesLeftOut() throws IOException {
        Map<String, Object> record = Map.of("a", true, "b", List.of(1, 2), "c", 3);
        assertEquals("{\"group_name\":\"g\",\"node_name\":\"n\",\"tags\":[{\"tag_name\":\"b\",\"value\":[1,2]},"
                + "{\"tag_name\":\"a\",\"value\":true}]}",
                new String(NeuronMessages.write("n", "g", List.of("b", "x", "a"), record), UTF_8));
        assertNull(NeuronMessages.write("n", "g", List.of("x"), record));
    }
}
