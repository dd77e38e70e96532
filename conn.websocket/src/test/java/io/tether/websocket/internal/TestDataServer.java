package io.tether.websocket.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;
import io.tether.testkit.Peers;

/** A data server for the tests: WebSocket endpoints only, on {@link TestWebSocketServer} in routing mode. */
final class TestDataServer implements DataServer, AutoCloseable {
    final Map<String, WebSocketHandler> routes = new ConcurrentHashMap<>();
    private final TestWebSocketServer server;

    TestDataServer() throws IOException {
        server = TestWebSocketServer.routing(Peers.freePort(), routes);
    }

    @Override
    public Registration httpEndpoint(String path, String method, HttpEndpointHandler handler) {
        throw new UnsupportedOperationException("HTTP endpoints");
    }

    @Override
    public Registration webSocketEndpoint(String path, WebSocketHandler handler) {
        Set<WebSocketPeer> peers = ConcurrentHashMap.newKeySet();
        WebSocketHandler tracking = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketPeer peer) {
                peers.add(peer);
                handler.onOpen(peer);
            }

            @Override
            public void onText(WebSocketPeer peer, String text) {
                handler.onText(peer, text);
            }

            @Override
            public void onClose(WebSocketPeer peer, int code, String reason) {
                peers.remove(peer);
                handler.onClose(peer, code, reason);
            }
        };
        if (routes.putIfAbsent(path, tracking) != null) {
            throw new IllegalArgumentException("path " + path + " is registered already");
        }
        return () -> {
            if (routes.remove(path, tracking)) {
                peers.forEach(peer -> peer.close(1000, ""));
            }
        };
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    URI webSocket(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
    }
}
