package io.tether.conn.http.internal.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.io.DeliveryException;
import io.tether.conn.http.internal.client.RequestSettings.ResponseType;

/**
 * Whether an answer is a success, as eKuiper tells it: a 2xx status, and with {@code responseType: body} a JSON
 * body whose {@code code} field, when present, is 2xx too. A failure a later attempt may mend (5xx, 408, 429) is
 * retryable; any other (4xx, 3xx, a body that is not JSON) is permanent for that request.
 */
public final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /** @throws DeliveryException when the answer is not a success */
    public static void check(String method, URI uri, HttpResponse<byte[]> response, ResponseType type)
            throws DeliveryException {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw failed(method, uri, "answered HTTP " + status, status);
        }
        if (type == ResponseType.BODY) {
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                throw DeliveryException.permanent(describe(method, uri) + " answered a body that is not a JSON "
                        + "object (responseType body)", null);
            }
            JsonNode code = body.get("code");
            if (code != null && code.canConvertToInt() && (code.asInt() < 200 || code.asInt() > 299)) {
                throw failed(method, uri, "answered code " + code.asInt() + " in its body", code.asInt());
            }
        }
    }

    private static DeliveryException failed(String method, URI uri, String what, int status) {
        String message = describe(method, uri) + " " + what;
        return status >= 500 || status == 408 || status == 429 ? DeliveryException.retryable(message, null)
                : DeliveryException.permanent(message, null);
    }

    /** {@code METHOD scheme://host:port/path}: the query is left out, as it may hold a key. */
    public static String describe(String method, URI uri) {
        return method + " " + HttpSettings.origin(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The metadata of a polled answer. */
    public static Map<String, Object> meta(String method, URI uri, HttpResponse<byte[]> response) {
        return Map.of("method", method, "url", HttpSettings.origin(uri) + uri.getRawPath(), "status",
                response.statusCode());
    }
}
