package io.tether.edgex.internal;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * go-mod-messaging's MessageEnvelope: what travels on every EdgeX bus, as JSON (MQTT, NATS with
 * {@code Format: json}) or as NATS headers around the payload ({@code Format: nats}).
 *
 * @param payload     the payload's bytes: the embedded JSON object, or what a base64 string held
 * @param queryParams empty when there are none
 * @param payloadJson the payload as already parsed (an envelope read as JSON, its payload embedded), so that it is not
 *                    parsed twice; null otherwise
 */
record Envelope(String apiVersion, String receivedTopic, String correlationId, String requestId, int errorCode,
        byte[] payload, String contentType, Map<String, String> queryParams, JsonNode payloadJson) {
    static final String API_VERSION = "v3";
    static final String JSON = "application/json";

    Envelope(String apiVersion, String receivedTopic, String correlationId, String requestId, int errorCode,
            byte[] payload, String contentType, Map<String, String> queryParams) {
        this(apiVersion, receivedTopic, correlationId, requestId, errorCode, payload, contentType, queryParams, null);
    }
}
