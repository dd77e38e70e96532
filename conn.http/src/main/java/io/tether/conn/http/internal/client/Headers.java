package io.tether.conn.http.internal.client;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The headers of a request: the connection's, the node's over them, and the OAuth bearer token. */
final class Headers {
    private Headers() {
    }

    /**
     * Sets the headers on the request. Placeholders take the record's fields, then the token answer's; a header
     * whose placeholder finds no field is left out. With OAuth and no {@code Authorization} header of their own,
     * requests carry {@code Bearer <access_token>}.
     */
    static void apply(HttpRequest.Builder request, Map<String, String> connectionHeaders,
            Map<String, String> nodeHeaders, Function<String, Object> record, Map<String, Object> tokenFields) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(connectionHeaders);
        headers.putAll(nodeHeaders);
        Function<String, Object> fields = Placeholders.firstOf(record, Placeholders.in(tokenFields));
        boolean authorization = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String value = Placeholders.render(header.getValue(), fields);
            if (value != null) {
                request.header(header.getKey(), value);
                authorization |= header.getKey().equalsIgnoreCase("Authorization");
            }
        }
        Object token = tokenFields.get("access_token");
        if (!authorization && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
    }
}
