package io.tether.api.dataserver;

import java.io.IOException;
import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The shared data listener (SPEC §9: {@code 0.0.0.0:10081} by default, configured through PID
 * {@code io.tether.dataserver}). The listener is started by the first registration and stopped when the last one is
 * closed. Paths are exact (no wildcards, no prefixes); the query string is not part of a path.
 * <p>
 * The server answers by itself: 404 for a path with no registration, 405 (with {@code Allow}) for a method not
 * registered on a known path, 413 for a body over its limit ({@code maxBodyBytes}), and the CORS preflight
 * ({@code OPTIONS}) of every registered path.
 */
@ProviderType
public interface DataServer {

    /**
     * Registers {@code handler} for requests with {@code method} on {@code path}. One path may carry several methods,
     * each registered once.
     *
     * @param path   starts with {@code /}
     * @param method an HTTP method, upper case ({@code POST}, {@code PUT}, ...)
     * @throws IllegalArgumentException when the path or method is invalid, or {@code method path} is registered
     *                                  already, or the path is a WebSocket endpoint; the message says which
     * @throws IOException              when the listener could not be started (its port is taken): nothing was
     *                                  registered
     */
    Registration httpEndpoint(String path, String method, HttpEndpointHandler handler) throws IOException;

    /**
     * Registers {@code handler} for WebSocket connections upgraded on {@code path}. Closing the registration closes
     * its open connections with the normal close code (1000).
     *
     * @param path starts with {@code /}
     * @throws IllegalArgumentException when the path is invalid or registered already (for HTTP or WebSocket)
     * @throws IOException              when the listener could not be started: nothing was registered
     */
    Registration webSocketEndpoint(String path, WebSocketHandler handler) throws IOException;

    /**
     * The listener's base address, e.g. {@code http://127.0.0.1:10081} ({@code https} with TLS): with the port
     * actually bound while the listener runs (a configured port 0 is a free port), the configured one otherwise.
     */
    URI baseUri();
}
