package io.tether.api.dataserver;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request to an HTTP endpoint of the {@link DataServer}.
 *
 * @param method        upper case
 * @param path          the path, without the query
 * @param query         the raw query string, empty when there is none
 * @param headers       by lower-case name, values in the order received
 * @param body          the whole body (empty when there is none)
 * @param remoteAddress the client's address and port, e.g. {@code 127.0.0.1:53412}
 */
public record EndpointRequest(String method, String path, String query, Map<String, List<String>> headers,
        byte[] body, String remoteAddress) {

    public EndpointRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
