package io.tether.neuron.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionException;
import io.tether.testkit.Peers;

/** {@code POST /metadata/sources/connection/nng}: a dial and a handshake, nothing kept. */
class ConnectivityCheckTest {
    private final NeuronConnectorFactory factory = new NeuronConnectorFactory(new NeuronSourceProvider());

    @Test
    void aPair0ListenerPassesAndIsLeftAlone() throws Exception {
        try (PairListener neuron = PairListener.tcp(0)) {
            assertTrue(factory.supportsCheck());
            factory.check(Map.of("url", neuron.url()), Duration.ofSeconds(5));
        }
    }

    @Test
    void nobodyListeningFailsWithTheReason() {
        String url = "tcp://127.0.0.1:" + Peers.freePort();
        ConnectionException failed = assertThrows(ConnectionException.class,
                () -> factory.check(Map.of("url", url), Duration.ofSeconds(5)));
        assertTrue(failed.getMessage().startsWith(url + ": "), failed.getMessage());
        assertTrue(failed.isRetryable());
    }

    @Test
    void invalidPropsFailWithTheProblem() {
        ConnectionException failed = assertThrows(ConnectionException.class,
                () -> factory.check(Map.of("url", "udp://x:1"), Duration.ofSeconds(5)));
        assertEquals("only tcp and ipc scheme are supported", failed.getMessage());
        assertFalse(failed.isRetryable());
    }
}
