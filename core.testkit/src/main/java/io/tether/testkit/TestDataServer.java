package io.tether.testkit;

import java.io.IOException;
import java.net.URI;

import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.dataserver.internal.JettyDataServer;

/**
 * The real data server (core.dataserver) without OSGi, on 127.0.0.1 and a free port, for the tests of connectors
 * that register endpoints on it (httppush, websocket server mode). Its listener starts with the first registration
 * and stops with the last, as in the runtime; {@link #close()} stops it for good.
 */
public final class TestDataServer implements DataServer, AutoCloseable {
    private final JettyDataServer server;

    private TestDataServer(long maxBodyBytes) {
        this.server = JettyDataServer.onLoopback(maxBodyBytes);
    }

    /** With the runtime's default body limit, 1 MiB. */
    public static TestDataServer start() {
        return new TestDataServer(1024 * 1024);
    }

    /** With a body (and WebSocket message) limit of {@code maxBodyBytes}. */
    public static TestDataServer withMaxBody(long maxBodyBytes) {
        return new TestDataServer(maxBodyBytes);
    }

    @Override
    public Registration httpEndpoint(String path, String method, HttpEndpointHandler handler) throws IOException {
        return server.httpEndpoint(path, method, handler);
    }

    @Override
    public Registration webSocketEndpoint(String path, WebSocketHandler handler) throws IOException {
        return server.webSocketEndpoint(path, handler);
    }

    @Override
    public URI baseUri() {
        return server.baseUri();
    }

    /** The HTTP address of {@code path} while the listener runs. */
    public URI uri(String path) {
        return URI.create(baseUri() + path);
    }

    /** The WebSocket address of {@code path} while the listener runs. */
    public URI webSocketUri(String path) {
        return URI.create(baseUri().toString().replaceFirst("^http", "ws") + path);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
