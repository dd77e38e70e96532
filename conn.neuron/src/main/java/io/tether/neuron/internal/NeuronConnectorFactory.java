package io.tether.neuron.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;


import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.NodeProps;

/** Connections of type {@value #TYPE}: one SP pair0 socket dialled to Neuron; the schema checked the props first. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + NeuronConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + NeuronConnectorFactory.SCHEMA})
public final class NeuronConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "nng";
    /** The type of the sources and sinks on top of {@value #TYPE} connections. */
    public static final String NODE_TYPE = "neuron";
    static final String SCHEMA = "OSGI-INF/tether/schema/nng.json";

    private final NeuronSourceProvider sources;

    @Activate
    public NeuronConnectorFactory(@Reference NeuronSourceProvider sources) {
        this.sources = sources;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return Settings.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new NeuronConnection(Settings.of(props), context, sources.listeners.acquire(context.connectionId()));
    }

    @Override
    public boolean supportsCheck() {
        return true;
    }

    /**
     * Dials and exchanges SP headers, then closes: Neuron is there and speaks pair0. (Neuron's pair0 admits one peer:
     * while Tether's own connection is attached, Neuron closes the checking pipe right after the handshake, which
     * still counts as reachable.)
     */
    @Override
    public void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        Settings settings = Settings.of(props);
        if (!settings.problems().isEmpty()) {
            throw ConnectionException.permanent(settings.problems().get(0).message(), null);
        }
        try {
            new SpPipe.Dial(settings.url()).connect(timeout).close();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw ConnectionException.io(message.contains(settings.url().toString()) ? message
                    : settings.url() + ": " + message, e);
        }
    }

    /**
     * The connection props: {@code url} [{@value SpUrl#DEFAULT}], {@code protocol} [pair], {@code recvMaxSize}
     * [4 MiB, as Neuron's own limit], and what is wrong with them. Other props pass: an anonymous connection gets all
     * its source's or sink's props.
     */
    record Settings(SpUrl url, int recvMaxSize, List<PropError> problems) {
        static final int DEFAULT_RECV_MAX_SIZE = 4 * 1024 * 1024;

        static Settings of(Map<String, Object> props) {
            NodeProps node = new NodeProps(props);
            String text = node.string("url", SpUrl.DEFAULT);
            SpUrl url = null;
            try {
                url = SpUrl.parse(text);
            } catch (IllegalArgumentException e) {
                node.problem("url", e.getMessage());
            }
            String protocol = node.string("protocol", "pair");
            if (!"pair".equals(protocol)) {
                node.problem("protocol", "unsupported protocol " + protocol + ": only pair (NNG pair v0) is supported");
            }
            int recvMaxSize = node.integer("recvMaxSize", DEFAULT_RECV_MAX_SIZE, 1, Integer.MAX_VALUE - 8);
            return new Settings(url, recvMaxSize, node.problems());
        }

        /** Sources and sinks without connectionSelector share one socket per url: pair0 admits one peer. */
        String anonymousKey() {
            return AnonymousKeys.shared(url.toString());
        }
    }
}
