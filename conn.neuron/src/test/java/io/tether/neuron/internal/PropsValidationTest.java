package io.tether.neuron.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;

class PropsValidationTest {
    private final NeuronConnectorFactory factory = new NeuronConnectorFactory(new NeuronSourceProvider());
    private final NeuronSinkProvider sinks = new NeuronSinkProvider();

    @Test
    void theUrlDefaultsToNeuronsTcpPort() {
        NeuronConnectorFactory.Settings settings = NeuronConnectorFactory.Settings.of(Map.of());
        assertEquals(List.of(), settings.problems());
        assertEquals("tcp://127.0.0.1:7081", settings.url().toString());
        assertEquals(4 * 1024 * 1024, settings.recvMaxSize());
    }

    @Test
    void tcpAndIpcUrlsAreAccepted() {
        assertEquals(List.of(), factory.validate(Map.of("url", "tcp://localhost:7081")));
        assertEquals(List.of(), factory.validate(Map.of("url", "tcp://[::1]:7081")));
        assertEquals(List.of(), factory.validate(Map.of("url", "ipc:///tmp/neuron-ekuiper.ipc")));
        SpUrl ipc = SpUrl.parse("ipc:///tmp/neuron-ekuiper.ipc");
        assertEquals("/tmp/neuron-ekuiper.ipc", ipc.path().toString());
    }

    @Test
    void anEmptyUrlIsRequired() {
        assertEquals(List.of(new PropError("url", "url is required")), factory.validate(Map.of("url", "")));
    }

    @Test
    void otherSchemesAreRefused() {
        for (String url : List.of("udp://127.0.0.1:7081", "ws://127.0.0.1:7081", "inproc://x", "127.0.0.1:7081")) {
            assertEquals(List.of(new PropError("url", "only tcp and ipc scheme are supported")),
                    factory.validate(Map.of("url", url)), url);
        }
    }

    @Test
    void aTcpUrlNeedsAPort() {
        assertEquals("url", factory.validate(Map.of("url", "tcp://127.0.0.1")).get(0).prop());
        assertEquals("url", factory.validate(Map.of("url", "tcp://127.0.0.1:0")).get(0).prop());
        assertEquals("url", factory.validate(Map.of("url", "tcp://127.0.0.1:7081/path")).get(0).prop());
    }

    @Test
    void onlyThePairProtocolAndAPositiveReceiveLimit() {
        assertEquals("protocol", factory.validate(Map.of("protocol", "bus")).get(0).prop());
        assertEquals("recvMaxSize", factory.validate(Map.of("recvMaxSize", 0)).get(0).prop());
        assertEquals(List.of(), factory.validate(Map.of("protocol", "pair", "recvMaxSize", "1024")));
    }

    @Test
    void aSinkNeedsNodeAndGroupUnlessRaw() {
        assertEquals(List.of(new PropError("nodeName", "node name is required if raw is not set"),
                new PropError("groupName", "group name is required if raw is not set")), sinks.validate(Map.of()));
        assertEquals(List.of(), sinks.validate(Map.of("raw", true)));
        assertEquals(List.of(), sinks.validate(Map.of("nodeName", "n", "groupName", "g", "tags", List.of("a"))));
        assertEquals("tags", sinks.validate(Map.of("nodeName", "n", "groupName", "g", "tags", "a")).get(0).prop());
    }

    @Test
    void aSinkOnANamedConnectionChecksOnlyItsOwnProps() {
        assertEquals(List.of(), sinks.validate(Map.of(ConnectionPool.CONNECTION_SELECTOR, "neuron1", "url", "x://",
                "raw", "true")));
        assertEquals("url", sinks.validate(Map.of("url", "x://", "raw", true)).get(0).prop());
    }
}
