package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.testkit.ConnectorContract;
import io.tether.testkit.Peers;

/** The contract suite against a Java pair0 listener ({@link PairListener}), the suite's proxy in between. */
class NeuronConnectorContractTest extends ConnectorContract {
    private static PairListener neuron;
    private final NeuronSourceProvider sources = new NeuronSourceProvider();

    @BeforeAll
    static void startNeuron() {
        neuron = PairListener.tcp(Peers.freePort());
    }

    @AfterAll
    static void stopNeuron() {
        neuron.close();
    }

    @Override
    protected String type() {
        return NeuronConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        return new NeuronConnectorFactory(sources);
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + NeuronConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return neuron.port();
    }

    /** nng props hold no secret of their own: an unlisted prop carries one, as a consumer's props may. */
    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("url", "tcp://127.0.0.1:" + port, "token", secret());
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("url", "udp://127.0.0.1:1");
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        return sources;
    }

    @Override
    protected void produce(String marker) {
        neuron.send(("{\"timestamp\":1646125996000,\"node_name\":\"node1\",\"group_name\":\"group1\","
                + "\"values\":{\"marker\":\"" + marker + "\"},\"errors\":{}}").getBytes(UTF_8));
    }
}
