package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.PropError;

/** Validation is synchronous and each problem names its prop, with eKuiper's texts where eKuiper has one. */
class PropsValidationTest {
    private final MqttRuntime runtime = new MqttRuntime();
    private final MqttConnectorFactory factory = new MqttConnectorFactory(runtime);
    private final MqttSourceProvider sources = new MqttSourceProvider(runtime);
    private final MqttSinkProvider sinks = new MqttSinkProvider();

    @Test
    void goodPropsPass() {
        assertEquals(List.of(), factory.validate(Map.of("server", "tcp://127.0.0.1:1883", "protocolVersion", "3.1.1",
                "clientid", "c1", "keepAlive", 10, "maxInflight", 2000, "enableClientSession", true)));
        assertEquals(List.of(), factory.validate(Map.of("server", "wss://127.0.0.1:443/mqtt", "protocolVersion", 5)));
    }

    @Test
    void missingServer() {
        assertEquals(List.of(new PropError("server", "missing server property")), factory.validate(Map.of()));
    }

    @Test
    void badProtocolVersion() {
        assertEquals(List.of(new PropError("protocolVersion", "unsupported protocol version 6")),
                factory.validate(Map.of("server", "tcp://127.0.0.1:1883", "protocolVersion", "6")));
    }

    @Test
    void badQos() {
        PropError expected = new PropError("qos", "invalid qos value 3, the value could be only int 0 or 1 or 2");
        assertEquals(List.of(expected), factory.validate(Map.of("server", "tcp://127.0.0.1:1883", "qos", 3)));
        assertEquals(List.of(expected), sources.validate("a/b", Map.of("server", "tcp://h:1883", "qos", 3)));
        assertEquals(List.of(expected), sinks.validate(Map.of("server", "tcp://h:1883", "topic", "t", "qos", 3)));
    }

    @Test
    void sinkTopicWithoutWildcards() {
        assertEquals(List.of(new PropError("topic", "mqtt sink topic shouldn't contain # or +")),
                sinks.validate(Map.of("server", "tcp://h:1883", "topic", "a/#")));
        assertEquals(List.of(new PropError("topic", "mqtt sink topic shouldn't contain # or +")),
                sinks.validate(Map.of(ConnectionPool.CONNECTION_SELECTOR, "m", "topic", "a/+/b")));
    }

    @Test
    void aSinkTopicThatIsNotAStringIsRefusedRatherThanPublishedToAsText() {
        assertEquals(List.of(new PropError("topic", "topic must be a string")),
                sinks.validate(Map.of(ConnectionPool.CONNECTION_SELECTOR, "m", "topic", List.of("a"))));
    }

    @Test
    void otherProblemsNameTheirProp() {
        List<PropError> problems = factory.validate(Map.of("server", "http://h:1", "keepAlive", 0,
                "maxInflight", "many", "certificationPath", "/nonexistent.pem", "enableClientSession", "yes"));
        assertEquals(List.of("server", "keepAlive", "maxInflight", "enableClientSession", "certificationPath",
                "privateKeyPath"), problems.stream().map(PropError::prop).toList());
        assertEquals(List.of(new PropError("datasource", "'#' must be the last level of topic filter a/#/b")),
                sources.validate("a/#/b", Map.of(ConnectionPool.CONNECTION_SELECTOR, "m")));
    }

    @Test
    void serverProblemsShowTheUrlWithItsPasswordMasked() {
        assertEquals(List.of(new PropError("server",
                "unsupported scheme in server nosuch://u:******@127.0.0.1:1: use tcp://, ssl://, ws:// or wss://")),
                factory.validate(Map.of("server", "nosuch://u:pw1@127.0.0.1:1")));
        assertEquals(List.of(new PropError("server", "server tcp://u:******@/x has no host")),
                factory.validate(Map.of("server", "tcp://u:pw2@/x")));
        List<PropError> invalid = factory.validate(Map.of("server", "tcp://u:p w3@127.0.0.1:1"));
        assertEquals("server", invalid.get(0).prop());
        assertTrue(invalid.get(0).message().startsWith("invalid server tcp://u:******@127.0.0.1:1: "),
                invalid.toString());
        assertFalse(invalid.toString().contains("w3"), invalid.toString());
        List<PropError> noScheme = factory.validate(Map.of("server", "u:pw4@127.0.0.1:1"));
        assertFalse(noScheme.toString().contains("pw4"), noScheme.toString());
    }

    @Test
    void thePoolRefusesBadPropsWithTheirMessage(@TempDir Path dir) throws Exception {
        try (MqttPool pools = new MqttPool(dir)) {
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                    () -> pools.pool.create("m", "mqtt", Map.of("protocolVersion", "2")));
            assertEquals(ConnectionPoolException.Reason.INVALID, refused.reason());
            assertTrue(refused.getMessage().contains("server: missing server property"), refused.getMessage());
            assertTrue(refused.getMessage().contains("protocolVersion: unsupported protocol version 2"),
                    refused.getMessage());
            assertTrue(pools.pool.get("m").isEmpty());
        }
    }
}
