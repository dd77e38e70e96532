package io.tether.conn.http.internal.push;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.NodeProps;

/**
 * An httppush connection's props: the {@code endpoint} path, its {@code method} (POST or PUT) and how long a request
 * waits for room in the rules ({@code timeout}, ms), and what is wrong with them. Other props pass: an anonymous
 * connection gets all its source's props.
 */
record PushSettings(String endpoint, String method, Duration timeout, List<PropError> problems) {
    static final String ENDPOINT = "endpoint";
    static final String METHOD = "method";
    static final String TIMEOUT = "timeout";

    static PushSettings of(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        String endpoint = node.requiredString(ENDPOINT);
        if (endpoint != null && !endpoint.startsWith("/")) {
            node.problem(ENDPOINT, "property endpoint must start with /");
        }
        String method = node.string(METHOD, "POST");
        String upper = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        if (!upper.equals("POST") && !upper.equals("PUT")) {
            node.problem(METHOD, "method " + method + " is not supported, must be POST or PUT");
        }
        int timeout = node.integer(TIMEOUT, 5000, 1, 3_600_000);
        return new PushSettings(endpoint, upper, Duration.ofMillis(timeout), node.problems());
    }

    /** The props a source without connectionSelector attaches with: its own, with its datasource as endpoint. */
    static Map<String, Object> anonymous(String datasource, Map<String, Object> sourceProps) {
        Map<String, Object> props = new HashMap<>(sourceProps);
        props.put(ENDPOINT, datasource == null ? "" : datasource);
        return props;
    }

    /**
     * Sources without connectionSelector share one connection per endpoint and method: the key shows both, and a
     * digest of the exact path keeps paths that the pool's id would spell alike ({@code /a/b}, {@code /a_b}) apart.
     */
    String anonymousKey() {
        return AnonymousKeys.shared(method + " " + endpoint, endpoint);
    }

    @Override
    public String toString() {
        return method + " " + endpoint;
    }
}
