package io.tether.conn.http.internal.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.NodeProps;

/**
 * The props of an {@code http} connection, one pooled client: the {@code url} its requests start from (and its ping
 * probes), {@code headers} sent on every request, {@code timeout} of each request, TLS and OAuth. Other props pass:
 * an anonymous connection gets all its source's or sink's props.
 *
 * @param url                the base URL: absolute, http or https, without user info
 * @param headers            header names and values; values may hold {@code {{.field}}} placeholders
 * @param timeout            bounds each request until its whole response is read
 * @param insecureSkipVerify trust any server certificate (tests, self-signed peers)
 * @param rootCaPath         a PEM file of the certificates to trust instead of the JVM's, or null
 * @param oauth              how tokens are obtained, or null
 * @param problems           what is wrong with the props, empty when they are valid
 */
public record HttpSettings(URI url, Map<String, String> headers, Duration timeout, boolean insecureSkipVerify,
        String rootCaPath, OAuthSettings oauth, List<PropError> problems) {

    static final int DEFAULT_TIMEOUT_MILLIS = 5000;
    /** Headers that Java's client sets itself and refuses from its users. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    public static HttpSettings of(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        URI url = url(node, "url", node.requiredString("url"));
        Map<String, String> headers = headers(node, "headers", props.get("headers"));
        int timeout = node.integer("timeout", DEFAULT_TIMEOUT_MILLIS, 1, 3_600_000);
        boolean insecure = node.bool("insecureSkipVerify", false);
        String rootCa = node.string("rootCaPath", null);
        OAuthSettings oauth = OAuthSettings.of(node, props.get("oauth"));
        return new HttpSettings(url, headers, Duration.ofMillis(timeout), insecure,
                rootCa == null || rootCa.isBlank() ? null : rootCa.strip(), oauth, node.problems());
    }

    /**
     * The key of the anonymous connection these settings make: nodes with equal settings share one client. The
     * server's origin is shown; headers, OAuth and TLS settings only go into the digest, as they may hold secrets.
     */
    public String anonymousKey() {
        return AnonymousKeys.shared(origin(), canonical());
    }

    /** {@code scheme://host:port} of the url, what may be shown of the connection. */
    public String origin() {
        return origin(url);
    }

    static String origin(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }

    /** The settings as one text, header names in any case sorted, for the digest of the anonymous key. */
    private String canonical() {
        Map<String, String> sorted = new TreeMap<>();
        headers.forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), value));
        return url + "\u0000" + sorted + "\u0000" + timeout.toMillis() + "\u0000" + insecureSkipVerify + "\u0000"
                + rootCaPath + "\u0000" + (oauth == null ? "" : oauth.canonical());
    }

    /**
     * An absolute http or https URL. The message never repeats the value: it may hold a password.
     */
    static URI url(NodeProps node, String prop, String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.strip());
            if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                node.problem(prop, prop + " must be an absolute http:// or https:// URL with a host");
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                node.problem(prop, prop + " must not hold user info: give credentials in headers or oauth");
                return null;
            }
            return new URI(uri.getScheme().toLowerCase(Locale.ROOT), null, uri.getHost(), uri.getPort(),
                    uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            node.problem(prop, prop + " is not a valid URL: " + e.getReason());
            return null;
        }
    }

    /** Header names and text values (numbers and booleans are taken as text). */
    static Map<String, String> headers(NodeProps node, String prop, Object value) {
        if (value == null || "".equals(value)) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            node.problem(prop, prop + " must be an object of header names and values");
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> header : map.entrySet()) {
            String name = String.valueOf(header.getKey());
            Object headerValue = header.getValue();
            if (!validHeaderName(name)) {
                node.problem(prop, prop + ": '" + name + "' is not a valid header name");
            } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                node.problem(prop, prop + ": " + name + " is set by the client itself");
            } else if (headerValue instanceof Map || headerValue instanceof Iterable || headerValue == null) {
                node.problem(prop, prop + ": the value of " + name + " must be a text");
            } else {
                headers.put(name, String.valueOf(headerValue));
            }
        }
        return Map.copyOf(headers);
    }

    private static boolean validHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return url == null ? "http client (no url)" : "http client of " + origin();
    }
}
