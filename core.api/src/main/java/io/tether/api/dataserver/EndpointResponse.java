package io.tether.api.dataserver;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The answer of an {@link HttpEndpointHandler}.
 *
 * @param status  the HTTP status
 * @param headers extra headers (e.g. {@code Retry-After}); {@code Content-Type} among them sets the body's type
 * @param body    the body, may be empty
 */
public record EndpointResponse(int status, Map<String, String> headers, byte[] body) {

    public EndpointResponse {
        headers = Map.copyOf(headers);
    }

    /** A {@code text/plain; charset=utf-8} answer. */
    public static EndpointResponse text(int status, String text) {
        return text(status, text, Map.of());
    }

    /** A {@code text/plain; charset=utf-8} answer with extra headers. */
    public static EndpointResponse text(int status, String text, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "text/plain; charset=utf-8");
        return new EndpointResponse(status, all, text.getBytes(StandardCharsets.UTF_8));
    }
}
