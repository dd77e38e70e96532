package io.tether.dataserver.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.dataserver.WebSocketHandler;

/**
 * What is registered on each path: HTTP handlers by method, or one WebSocket handler. Read by the listener's
 * threads without a lock; changed only under the data server's lock, by replacing a path's entry.
 */
final class Endpoints {
    /** A path's registrations; immutable. */
    record PathEntry(Map<String, HttpEndpointHandler> methods, WebSocketHandler webSocket) {
        Set<String> allowed() {
            return methods.keySet();
        }
    }

    private static final int MAX_PATH_LENGTH = 1024;

    private final Map<String, PathEntry> paths = new ConcurrentHashMap<>();

    PathEntry get(String path) {
        return paths.get(path);
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    /** The WebSocket endpoints registered now. */
    List<WebSocketHandler> webSockets() {
        return paths.values().stream().map(PathEntry::webSocket).filter(Objects::nonNull).toList();
    }

    /** @throws IllegalArgumentException when {@code method path} cannot be added */
    void checkHttp(String path, String method) {
        PathEntry entry = paths.get(path);
        if (entry == null) {
            return;
        }
        if (entry.webSocket() != null) {
            throw new IllegalArgumentException("endpoint " + path + " is registered already as a WebSocket endpoint");
        }
        if (entry.methods().containsKey(method)) {
            throw new IllegalArgumentException("endpoint " + method + " " + path + " is registered already");
        }
    }

    /** @throws IllegalArgumentException when a WebSocket endpoint cannot be added on {@code path} */
    void checkWebSocket(String path) {
        PathEntry entry = paths.get(path);
        if (entry != null) {
            throw new IllegalArgumentException("endpoint " + path + " is registered already" + (entry.webSocket() != null
                    ? " as a WebSocket endpoint" : " for HTTP " + String.join(", ", entry.allowed())));
        }
    }

    void addHttp(String path, String method, HttpEndpointHandler handler) {
        PathEntry entry = paths.get(path);
        Map<String, HttpEndpointHandler> methods = new TreeMap<>(entry == null ? Map.of() : entry.methods());
        methods.put(method, handler);
        paths.put(path, new PathEntry(Map.copyOf(methods), null));
    }

    void addWebSocket(String path, WebSocketHandler handler) {
        paths.put(path, new PathEntry(Map.of(), handler));
    }

    /** Removes {@code method path} if {@code handler} is what it holds. */
    void removeHttp(String path, String method, HttpEndpointHandler handler) {
        PathEntry entry = paths.get(path);
        if (entry == null || entry.methods().get(method) != handler) {
            return;
        }
        Map<String, HttpEndpointHandler> methods = new TreeMap<>(entry.methods());
        methods.remove(method);
        if (methods.isEmpty()) {
            paths.remove(path);
        } else {
            paths.put(path, new PathEntry(Map.copyOf(methods), null));
        }
    }

    /** Removes the WebSocket endpoint on {@code path} if {@code handler} is what it holds. */
    void removeWebSocket(String path, WebSocketHandler handler) {
        PathEntry entry = paths.get(path);
        if (entry != null && entry.webSocket() == handler) {
            paths.remove(path);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with the path */
    static void checkPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("endpoint path must start with /: " + path);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("endpoint path is longer than " + MAX_PATH_LENGTH + " characters");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == '?' || c == '#' || c == '%' || c == '\\' || c == 0x7f) {
                throw new IllegalArgumentException("endpoint path " + path + " holds a character not allowed in a path: '"
                        + c + "'");
            }
        }
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/.")
                || path.endsWith("/..")) {
            throw new IllegalArgumentException("endpoint path " + path + " is not a normalized path");
        }
    }

    /**
     * @return the method in upper case
     * @throws IllegalArgumentException when it is not an HTTP method an endpoint can register
     */
    static String checkMethod(String method) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("endpoint method is missing");
        }
        String upper = method.toUpperCase(Locale.ROOT);
        if (!upper.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("endpoint method " + method + " is not an HTTP method");
        }
        if (upper.equals("OPTIONS")) {
            throw new IllegalArgumentException("endpoint method OPTIONS is answered by the data server (CORS)");
        }
        return upper;
    }
}
