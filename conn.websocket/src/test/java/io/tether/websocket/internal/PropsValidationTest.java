package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.PropError;
import io.tether.testkit.TestPool;

/** Props are checked synchronously, with messages that name the prop, and bad ones leave nothing behind. */
class PropsValidationTest {
    private final WebSocketRuntime runtime = new WebSocketRuntime();
    private final WebSocketConnectorFactory factory = new WebSocketConnectorFactory(runtime);
    private final WebSocketSourceProvider sources = new WebSocketSourceProvider(runtime);
    private final WebSocketSinkProvider sinks = new WebSocketSinkProvider();

    @AfterEach
    void stop() {
        runtime.stop();
    }

    @Test
    void aSourceEndpointMustStartWithASlash() {
        assertEquals(List.of(new PropError("datasource", "websocket endpoint should start with /")),
                sources.validate("in", Map.of("addr", "127.0.0.1:8080", "path", "/in")));
        assertEquals(List.of(new PropError("datasource", "websocket endpoint should start with /")),
                sources.validate("", Map.of(ConnectionPool.CONNECTION_SELECTOR, "named")));
        assertEquals(List.of(), sources.validate("/in", Map.of()), "server mode: the datasource is the endpoint");
    }

    @Test
    void aSinkOrConnectionPathMustStartWithASlash() {
        assertEquals(List.of(new PropError("path", "websocket endpoint should start with /")),
                sinks.validate(Map.of("path", "out")));
        assertEquals(List.of(new PropError("path", "websocket endpoint should start with /")),
                factory.validate(Map.of("addr", "127.0.0.1:8080", "path", "out")));
        assertEquals(List.of(new PropError("path",
                "missing path property: the endpoint of a websocket server (no addr)")), sinks.validate(Map.of()));
    }

    @Test
    void clientPropsAreChecked() {
        assertEquals(List.of(new PropError("scheme", "scheme ftp is not supported, must be ws or wss")),
                factory.validate(Map.of("addr", "127.0.0.1:8080", "scheme", "ftp")));
        assertEquals(List.of(new PropError("addr", "addr must be host:port, not localhost")),
                factory.validate(Map.of("addr", "localhost")));
        assertEquals(List.of(new PropError("addr", "addr must be host:port, not user@host:1")),
                factory.validate(Map.of("addr", "user@host:1")));
        assertEquals(List.of(new PropError("requestHeader", "requestHeader must be an object of header names and values")),
                factory.validate(Map.of("addr", "h:1", "requestHeader", "Authorization: x")));
        assertEquals(List.of(new PropError("insecureSkipVerify", "insecureSkipVerify must be true or false, not yes")),
                factory.validate(Map.of("addr", "h:1", "scheme", "wss", "insecureSkipVerify", "yes")));
        assertEquals(List.of(
                new PropError("requestHeader", "requestHeader Sec-WebSocket-Key cannot be set: the handshake sets it"),
                new PropError("requestHeader", "requestHeader Upgrade cannot be set: the handshake sets it")),
                factory.validate(Map.of("addr", "h:1", "requestHeader",
                        new TreeMap<>(Map.of("Upgrade", "x", "Sec-WebSocket-Key", "k")))));
        assertEquals(List.of(), factory.validate(Map.of("addr", "h:1", "scheme", "WSS", "insecureSkipVerify", "true",
                "requestHeader", Map.of("Authorization", "Bearer x"))));
    }

    @Test
    void pingIntervalIsAWholeNumberOfMillisecondsFromZero() {
        assertEquals(List.of(new PropError("pingInterval",
                "pingInterval must be a whole number from 0 to 2147483647, not -1")),
                factory.validate(Map.of("addr", "h:1", "pingInterval", -1)));
        assertEquals(List.of(new PropError("pingInterval",
                "pingInterval must be a whole number from 0 to 2147483647, not 30s")),
                factory.validate(Map.of("addr", "h:1", "pingInterval", "30s")));
        assertEquals(List.of(), factory.validate(Map.of("addr", "h:1", "pingInterval", 0)));
        assertEquals(List.of(), factory.validate(Map.of("addr", "h:1", "pingInterval", "15000")));
        assertEquals(30_000, WebSocketSettings.of(Map.of("addr", "h:1")).pingInterval(), "the default");
    }

    @Test
    void aNodeOnANamedConnectionIsCheckedForItsOwnPropsOnly() {
        assertEquals(List.of(), sinks.validate(Map.of(ConnectionPool.CONNECTION_SELECTOR, "named", "addr", "bad")));
    }

    @Test
    void badPropsChangeNothing() throws Exception {
        try (TestPool pool = TestPool.create()) {
            pool.addType(WebSocketConnectorFactory.TYPE, factory,
                    getClass().getResource("/" + WebSocketConnectorFactory.SCHEMA));
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                    () -> pool.create("bad", WebSocketConnectorFactory.TYPE, Map.of("path", "endpoint")));
            assertTrue(refused.getMessage().contains("websocket endpoint should start with /"), refused.getMessage());
            ConnectionPoolException wrongScheme = assertThrows(ConnectionPoolException.class,
                    () -> pool.create("bad", WebSocketConnectorFactory.TYPE, Map.of("addr", "h:1", "scheme", "http")));
            assertTrue(wrongScheme.getMessage().contains("scheme"), wrongScheme.getMessage());
            assertEquals(List.of(), pool.list(true));
        }
    }
}
