package io.tether.websocket.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.NodeProps;

/**
 * A websocket connection's props. With {@code addr} ({@code host:port}) it is a client of {@code scheme://addr path};
 * without, an endpoint {@code path} on the data server. {@code requestHeader} values may hold credentials: they are
 * never shown (the schema marks the prop write-only, {@link #toString()} leaves it out). {@code pingInterval}
 * (milliseconds, 0: off) is how often a client pings its server, and how long it waits for a frame after a ping.
 */
record WebSocketSettings(String addr, String scheme, String path, Map<String, String> requestHeader,
        boolean insecureSkipVerify, String rootCaPath, int pingInterval, List<PropError> problems) {
    static final String ADDR = "addr";
    static final String SCHEME = "scheme";
    static final String PATH = "path";
    static final String DATASOURCE = "datasource";
    static final String REQUEST_HEADER = "requestHeader";
    static final String INSECURE_SKIP_VERIFY = "insecureSkipVerify";
    static final String ROOT_CA_PATH = "rootCaPath";
    static final String PING_INTERVAL = "pingInterval";
    /** Milliseconds between keep-alive pings of a client: 0 turns them off. */
    static final int DEFAULT_PING_INTERVAL = 30_000;
    static final String ENDPOINT_PROBLEM = "websocket endpoint should start with /";
    /** Headers of the opening handshake that the JDK client sets itself and refuses from its user. */
    private static final Set<String> HANDSHAKE_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** The settings of a connection's props: {@code path}, else the source's {@code datasource} they came with. */
    static WebSocketSettings of(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        String addr = node.string(ADDR, "").strip();
        String scheme = node.string(SCHEME, "ws").strip().toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            scheme = "ws";
        }
        String path = node.string(PATH, null);
        if (path == null || path.isEmpty()) {
            path = node.string(DATASOURCE, null);
        }
        boolean client = !addr.isEmpty();
        boolean validPath = false;
        if (path == null || path.isEmpty()) {
            if (!client) {
                node.problem(PATH, "missing path property: the endpoint of a websocket server (no addr)");
            }
            path = "/";
        } else if (!path.startsWith("/")) {
            node.problem(PATH, ENDPOINT_PROBLEM);
        } else {
            validPath = true;
        }
        if (client) {
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                node.problem(SCHEME, "scheme " + scheme + " is not supported, must be ws or wss");
            } else {
                // an invalid path would make a valid addr look wrong
                checkUri(node, scheme, addr, validPath ? path : "/");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Object header = props.get(REQUEST_HEADER);
        if (header instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                String lower = String.valueOf(name).toLowerCase(Locale.ROOT);
                if (HANDSHAKE_HEADERS.contains(lower) || lower.startsWith("sec-websocket-")) {
                    node.problem(REQUEST_HEADER, "requestHeader " + name + " cannot be set: the handshake sets it");
                } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    headers.put(String.valueOf(name), String.valueOf(value));
                } else {
                    node.problem(REQUEST_HEADER, "requestHeader " + name + " must be a text");
                }
            });
        } else if (header != null && !"".equals(header)) {
            node.problem(REQUEST_HEADER, "requestHeader must be an object of header names and values");
        }
        boolean insecure = node.bool(INSECURE_SKIP_VERIFY, false);
        String rootCa = node.string(ROOT_CA_PATH, null);
        int pingInterval = node.integer(PING_INTERVAL, DEFAULT_PING_INTERVAL, 0, Integer.MAX_VALUE);
        return new WebSocketSettings(addr, scheme, path, Map.copyOf(headers), insecure,
                rootCa == null || rootCa.isBlank() ? null : rootCa.strip(), pingInterval, node.problems());
    }

    private static void checkUri(NodeProps node, String scheme, String addr, String path) {
        try {
            URI uri = new URI(scheme + "://" + addr + path);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawUserInfo() != null
                    || !addr.equals(uri.getRawAuthority())) {
                node.problem(ADDR, "addr must be host:port, not " + addr);
            }
        } catch (URISyntaxException e) {
            node.problem(addr.contains("/") || addr.contains("?") ? ADDR : PATH,
                    "invalid websocket url " + scheme + "://" + addr + path + ": " + e.getReason());
        }
    }

    boolean clientMode() {
        return !addr.isEmpty();
    }

    URI uri() {
        return URI.create(scheme + "://" + addr + path);
    }

    /** TLS is in play only for wss: a ws client with TLS props shares the plain client. */
    Tls tls() {
        return scheme.equals("wss") ? new Tls(insecureSkipVerify, rootCaPath) : Tls.NONE;
    }

    /**
     * Client mode: one connection per URL and TLS settings, keyed by the request headers too (hidden: they may
     * hold credentials); server mode: one per endpoint path.
     */
    String anonymousKey() {
        if (!clientMode()) {
            return AnonymousKeys.shared(path);
        }
        return AnonymousKeys.shared(toString(), requestHeader.isEmpty() ? null : requestHeader,
                insecureSkipVerify ? "insecure" : null, rootCaPath);
    }

    /** The URL in client mode, the endpoint in server mode: never a header. */
    @Override
    public String toString() {
        return clientMode() ? scheme + "://" + addr + path : "endpoint " + path;
    }

    /** The TLS settings of a wss client; {@link #NONE} for ws. */
    record Tls(boolean insecureSkipVerify, String rootCaPath) {
        static final Tls NONE = new Tls(false, null);
    }
}
