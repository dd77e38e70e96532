package io.tether.edgex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * MessageEnvelopes as JSON, as go-mod-messaging writes them: keys {@code apiVersion}, {@code receivedTopic},
 * {@code correlationID}, {@code requestID}, {@code errorCode}, {@code payload}, {@code contentType},
 * {@code queryParams} (left out when empty), in that order. A JSON payload is embedded as it is (messaging v4); other
 * payloads, and on reading a base64 string (messaging v3, or v4 with {@code EDGEX_MSG_BASE64_PAYLOAD}), as base64.
 */
final class EnvelopeCodec {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private EnvelopeCodec() {
    }

    /** The envelope in a message's bytes; {@code receivedTopic} is the topic it came on, as the bus clients set it. */
    static Envelope decode(byte[] message, String topic) throws MalformedMessageException {
        JsonNode root;
        try {
            root = MAPPER.readTree(message);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a JSON message envelope: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("not a JSON message envelope: " + kind(root), null);
        }
        JsonNode errorCode = root.path("errorCode");
        if (!errorCode.isMissingNode() && !errorCode.isNull() && !errorCode.canConvertToInt()) {
            throw new MalformedMessageException("errorCode is not a number: " + errorCode, null);
        }
        Map<String, String> queryParams = new LinkedHashMap<>();
        root.path("queryParams").fields().forEachRemaining(entry -> queryParams.put(entry.getKey(), entry.getValue().asText()));
        JsonNode payload = root.path("payload");
        return new Envelope(root.path("apiVersion").asText(""), topic, root.path("correlationID").asText(""),
                root.path("requestID").asText(""), errorCode.asInt(0), payload(payload),
                root.path("contentType").asText(""), Map.copyOf(queryParams), payload.isContainerNode() ? payload : null);
    }

    private static byte[] payload(JsonNode payload) throws MalformedMessageException {
        if (payload.isMissingNode() || payload.isNull()) {
            return new byte[0];
        }
        if (payload.isTextual()) {
            try {
                return Base64.getDecoder().decode(payload.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("the payload is a string but not base64: " + e.getMessage(), e);
            }
        }
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The envelope as JSON, with a JSON payload embedded (its content type says JSON) or base64. */
    static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(envelope.payload().length + 256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("apiVersion", envelope.apiVersion());
            json.writeStringField("receivedTopic", envelope.receivedTopic());
            json.writeStringField("correlationID", envelope.correlationId());
            json.writeStringField("requestID", envelope.requestId());
            json.writeNumberField("errorCode", envelope.errorCode());
            json.writeFieldName("payload");
            if (envelope.contentType().startsWith(Envelope.JSON) && envelope.payload().length > 0) {
                json.writeRawValue(new String(envelope.payload(), UTF_8));
            } else {
                json.writeBinary(envelope.payload());
            }
            json.writeStringField("contentType", envelope.contentType());
            if (!envelope.queryParams().isEmpty()) {
                json.writeObjectFieldStart("queryParams");
                for (Map.Entry<String, String> param : envelope.queryParams().entrySet()) {
                    json.writeStringField(param.getKey(), param.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
