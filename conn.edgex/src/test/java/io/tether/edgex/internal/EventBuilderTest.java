package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The sink's Event and AddEventRequest, compared field by field (and key order) with the golden form. */
class EventBuilderTest {

    private static EventBuilder builder(Map<String, Object> props) {
        AtomicInteger ids = new AtomicInteger();
        return new EventBuilder(SinkSettings.of(props), "rule7", () -> "u" + ids.incrementAndGet(), () -> 42L);
    }

    private static Map<String, Object> record() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("flag", true);
        record.put("name", "pump 1");
        record.put("count", -5L);
        record.put("temperature", 21.5);
        record.put("ratio", 1.5f);
        record.put("counts", List.of(1L, 2L, 3L));
        record.put("names", List.of("a", "b"));
        record.put("levels", List.of(1.5, 2.0));
        record.put("flags", List.of(true, false));
        record.put("raw", new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", "auto");
        settings.put("level", 3);
        record.put("settings", settings);
        record.put("missing", null);
        return record;
    }

    @Test
    void anEventHasOneReadingPerFieldWithInferredValueTypesWrittenAsEdgeXWritesThem() throws Exception {
        EventBuilder.Built built = builder(Map.of()).build(List.of(record()));
        JsonNode expected = EnvelopeCodec.MAPPER.readTree(GoldenEnvelopesTest.golden("sink-event.json"));
        JsonNode actual = EnvelopeCodec.MAPPER.readTree(built.payload());
        assertSameFieldByField("event", expected, actual);
        assertEquals("application", built.topic(), "the default topic");
        assertEquals(List.of(), built.problems());
        assertEquals("", built.requestId());
    }

    @Test
    void anAddEventRequestWrapsTheEventWithItsOwnRequestId() throws Exception {
        EventBuilder.Built built = builder(Map.of("messageType", "request", "topicPrefix", "edgex/events/device/tether"))
                .build(List.of(record()));
        JsonNode request = EnvelopeCodec.MAPPER.readTree(built.payload());
        assertEquals(List.of("apiVersion", "requestId", "event"), names(request));
        assertEquals("v3", request.get("apiVersion").asText());
        assertEquals(built.requestId(), request.get("requestId").asText());
        assertSameFieldByField("event", EnvelopeCodec.MAPPER.readTree(GoldenEnvelopesTest.golden("sink-event.json")),
                request.get("event"));
        assertEquals("edgex/events/device/tether/ekuiperProfile/ekuiper/rule7", built.topic());
    }

    @Test
    void theMetadataFieldGivesNamesIdsOriginsAndValueTypes() throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", "event-1");
        meta.put("deviceName", "pump");
        meta.put("profileName", "pumps");
        meta.put("sourceName", "pressure");
        meta.put("origin", 99L);
        meta.put("tags", Map.of("site", "7"));
        meta.put("pressure", Map.of("id", "reading-1", "valueType", "Uint16", "origin", 98L));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("pressure", 1013L);
        record.put("edgexmeta", meta);
        EventBuilder.Built built = builder(Map.of("metadata", "edgexmeta", "topicPrefix", "out")).build(List.of(record));
        JsonNode event = EnvelopeCodec.MAPPER.readTree(built.payload());
        assertEquals("event-1", event.get("id").asText());
        assertEquals("pump", event.get("deviceName").asText());
        assertEquals(99L, event.get("origin").asLong());
        assertEquals("7", event.get("tags").get("site").asText());
        assertEquals(1, event.get("readings").size(), "the metadata field is no reading");
        JsonNode reading = event.get("readings").get(0);
        assertEquals("reading-1", reading.get("id").asText());
        assertEquals("Uint16", reading.get("valueType").asText());
        assertEquals("1013", reading.get("value").asText());
        assertEquals(98L, reading.get("origin").asLong());
        assertEquals("out/pumps/pump/pressure", built.topic());
    }

    @Test
    void aValueThatDoesNotFitItsValueTypeIsLeftOutAndReported() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("small", 300L);
        record.put("ok", 1L);
        record.put("meta", Map.of("small", Map.of("valueType", "Int8")));
        EventBuilder.Built built = builder(Map.of("metadata", "meta")).build(List.of(record));
        assertEquals(1, built.problems().size(), built.problems().toString());
        assertTrue(built.problems().get(0).contains("small"), built.problems().toString());
    }

    @Test
    void sinkPropsAreCheckedWithEKuipersMessages() {
        assertEquals("not allow to specify both topic and topicPrefix, please set one only",
                SinkSettings.of(Map.of("topic", "a", "topicPrefix", "b")).problems().get(0).message());
        assertEquals("specified wrong messageType value x",
                SinkSettings.of(Map.of("messageType", "x")).problems().get(0).message());
        assertEquals("specified wrong contentType value text/plain: only 'application/json' is supported if messageType is event",
                SinkSettings.of(Map.of("contentType", "text/plain")).problems().get(0).message());
        assertEquals(List.of(), SinkSettings.of(Map.of("messageType", "request", "contentType", "application/cbor")).problems());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertSameFieldByField(String path, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            assertEquals(names(expected), names(actual), path + ": keys and their order");
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                assertSameFieldByField(path + "." + name, expected.get(name), actual.get(name));
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + ": length");
            for (int i = 0; i < expected.size(); i++) {
                assertSameFieldByField(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
