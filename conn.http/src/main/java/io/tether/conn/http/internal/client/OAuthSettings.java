package io.tether.conn.http.internal.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.kit.NodeProps;

/**
 * eKuiper's {@code oauth} prop: {@code access} {url, body, expire, headers} obtains the tokens (a JSON object), and
 * the optional {@code refresh} {url, headers, body} renews them; the refresh's headers and body may use the tokens'
 * fields as {@code {{.field}}} placeholders. Without {@code refresh}, tokens are renewed by asking {@code access} again.
 *
 * @param access  the request that obtains tokens
 * @param refresh the request that renews them, or null
 * @param expire  how long tokens last, or null to take the token answer's {@code expires_in} (none: they never do)
 */
public record OAuthSettings(TokenRequest access, TokenRequest refresh, Duration expire) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A POST to a token endpoint; the body and headers may hold credentials: never shown. */
    public record TokenRequest(URI url, String body, Map<String, String> headers) {
        /** What may be shown of the endpoint: its query is left out, as it may hold a key. */
        String shown() {
            return Responses.describe("POST", url);
        }

        @Override
        public String toString() {
            return shown();
        }

        String canonical() {
            return url + "\u0000" + body + "\u0000" + new TreeMap<>(headers);
        }
    }

    static OAuthSettings of(NodeProps node, Object value) {
        if (value == null || "".equals(value)) {
            return null;
        }
        if (!(value instanceof Map<?, ?> oauth)) {
            node.problem("oauth", "oauth must be an object with access and, optionally, refresh");
            return null;
        }
        TokenRequest access = request(node, "oauth.access", oauth.get("access"));
        if (oauth.get("access") == null) {
            node.problem("oauth.access", "missing oauth.access property");
        }
        TokenRequest refresh = oauth.get("refresh") == null || "".equals(oauth.get("refresh")) ? null
                : request(node, "oauth.refresh", oauth.get("refresh"));
        Duration expire = null;
        if (oauth.get("access") instanceof Map<?, ?> accessProps && accessProps.get("expire") != null
                && !"".equals(accessProps.get("expire"))) {
            @SuppressWarnings("unchecked")
            NodeProps accessNode = new NodeProps((Map<String, Object>) accessProps);
            int seconds = accessNode.integer("expire", 0, 1, Integer.MAX_VALUE);
            accessNode.problems().forEach(problem -> node.problem("oauth.access.expire",
                    "oauth.access.expire must be a whole number of seconds from 1, not " + accessProps.get("expire")));
            expire = seconds > 0 ? Duration.ofSeconds(seconds) : null;
        }
        return access == null ? null : new OAuthSettings(access, refresh, expire);
    }

    private static TokenRequest request(NodeProps node, String prop, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> request)) {
            node.problem(prop, prop + " must be an object with url, headers and body");
            return null;
        }
        Object urlText = request.get("url");
        if (urlText == null || "".equals(urlText)) {
            node.problem(prop + ".url", "missing " + prop + ".url property");
            return null;
        }
        URI url = HttpSettings.url(node, prop + ".url", String.valueOf(urlText));
        Map<String, String> headers = HttpSettings.headers(node, prop + ".headers", request.get("headers"));
        String body = body(node, prop + ".body", request.get("body"));
        return url == null ? null : new TokenRequest(url, body, headers);
    }

    /** A body given as text is sent as it is; one given as an object is sent as its JSON. */
    private static String body(NodeProps node, String prop, Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            node.problem(prop, prop + " must be a text or a JSON object");
            return null;
        }
    }

    String canonical() {
        return access.canonical() + "\u0000" + (refresh == null ? "" : refresh.canonical()) + "\u0000" + expire;
    }

    @Override
    public String toString() {
        return "oauth via " + access.shown() + (refresh == null ? "" : ", refreshed via " + refresh.shown());
    }
}
