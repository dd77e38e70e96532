package io.tether.conn.http.internal.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tether.api.kit.NodeProps;

/**
 * What a rest sink or an httppull source asks of its connection, with eKuiper's names, defaults and messages:
 * {@code url} (absolute, or a path under the named connection's url), {@code method}, {@code bodyType},
 * {@code headers} (placeholders {@code {{.field}}} take the record's fields) and {@code responseType}.
 *
 * @param url          the node's url or path; null: the connection's url
 * @param method       GET, POST, PUT, DELETE or PATCH
 * @param bodyType     how records become the request's body
 * @param headers      the node's headers, over the connection's
 * @param responseType how success is told: by the status code alone, or by the {@code code} field of a JSON body too
 */
public record RequestSettings(String url, String method, BodyType bodyType, Map<String, String> headers,
        ResponseType responseType) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    /** eKuiper's body types, each with the content type it sends. */
    public enum BodyType {
        NONE(null), TEXT("text/plain"), JSON("application/json"), HTML("text/html"), XML("application/xml"),
        JAVASCRIPT("application/javascript"), FORM("application/x-www-form-urlencoded"),
        BINARY("application/octet-stream");

        private final String contentType;

        BodyType(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }

    /** {@code code}: a 2xx status is success; {@code body}: the JSON body's {@code code} field must say 2xx too. */
    public enum ResponseType {
        CODE, BODY
    }

    /** Reads the props; problems go to {@code node}. The default method is eKuiper's: GET. */
    public static RequestSettings of(NodeProps node, String defaultMethod) {
        String url = node.string("url", null);
        if (!NodeProps.usesNamedConnection(node.props()) || url != null && url.contains("://")) {
            HttpSettings.url(node, "url", url);
        }
        String method = node.string("method", defaultMethod).strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            node.problem("method", "Not supported HTTP method " + method + ".");
        }
        String defaultBody = method.equals("GET") ? "none" : "json";
        String bodyTypeName = node.string("bodyType", defaultBody).strip().toLowerCase(Locale.ROOT);
        BodyType bodyType = BodyType.NONE;
        try {
            bodyType = BodyType.valueOf(bodyTypeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            node.problem("bodyType", "Invalid body type value " + bodyTypeName + ".");
        }
        String responseTypeName = node.string("responseType", "code").strip().toLowerCase(Locale.ROOT);
        ResponseType responseType = ResponseType.CODE;
        try {
            responseType = ResponseType.valueOf(responseTypeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            node.problem("responseType", "Invalid responseType value " + responseTypeName + ": must be code or body.");
        }
        Map<String, String> headers = HttpSettings.headers(node, "headers", node.props().get("headers"));
        return new RequestSettings(url == null || url.isBlank() ? null : url.strip(), method, bodyType, headers,
                responseType);
    }

    /** Header values and a query may hold secrets: only header names and the url without its query are shown. */
    @Override
    public String toString() {
        String shown = url == null ? "(the connection's url)" : url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return method + " " + shown + " bodyType " + bodyType
                + " headers " + headers.keySet() + " responseType " + responseType;
    }

    /** The node's headers with the body type's content type, unless they name one themselves. */
    public Map<String, String> headersWithContentType() {
        if (bodyType.contentType() == null
                || headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
            return headers;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", bodyType.contentType());
        return all;
    }
}
