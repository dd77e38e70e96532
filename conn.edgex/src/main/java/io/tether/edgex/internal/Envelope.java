package io.tether.edgex.internal;

import java.util.Map;

/**
 * go-mod-messaging's MessageEnvelope: what travels on every EdgeX bus, as JSON (MQTT, NATS with
 * {@code Format: json}) or as NATS headers around the payload ({@code Format: nats}).
 *
 * @param payload     the payload's bytes: the embedded JSON object, or what a base64 string held
 * @param queryParams empty when there are none
 */
record Envelope(String apiVersion, String receivedTopic, String correlationId, String requestId, int errorCode,
        byte[] payload, String contentType, Map<String, String> queryParams) {
    static final String API_VERSION = "v3";
    static final String JSON = "application/json";
}
