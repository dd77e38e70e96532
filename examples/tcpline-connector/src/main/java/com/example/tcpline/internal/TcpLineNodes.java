package com.example.tcpline.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.ConnectedSource;
import io.tether.api.kit.ConnectionListeners;
import io.tether.api.kit.NodeProviders;

/**
 * Sources of the lines the server sends that start with the datasource (every line for an empty one), and sinks that
 * send each encoded payload (JSON: no raw line break) as a line. A line cannot be acknowledged, so a rule without room
 * for it within {@link #MAX_WAIT} lets it drop (counted).
 */
@Component(service = {SourceProvider.class, SinkProvider.class, TcpLineNodes.class},
        property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
                ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineNodes extends NodeProviders {
    static final Duration MAX_WAIT = Duration.ofMillis(500);

    /** The sources listening per connection id: the factory gives each instance its id's feed. */
    final ConnectionListeners<String> listeners = new ConnectionListeners<>();

    public TcpLineNodes() {
        super(props -> Peer.of(props).problems());
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        String prefix = datasource == null ? "" : datasource;
        return new ConnectedSource(TcpLineConnectorFactory.TYPE, props) {
            @Override
            protected String anonymousKey(SourceContext context) {
                return Peer.of(props).anonymousKey();
            }

            @Override
            protected AutoCloseable consume(ConnectionHandle handle, SourceContext context) {
                Map<String, Object> meta = Map.of("connection", handle.connectionId());
                return listeners.listen(handle.connectionId(), line -> {
                    if (line.startsWith(prefix)) {
                        context.offer(new RawMessage(line.getBytes(UTF_8), meta), MAX_WAIT);
                    }
                });
            }
        };
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new ConnectedSink<>(TcpLineConnectorFactory.TYPE, TcpLineConnection.class, props) {
            @Override
            protected String anonymousKey(SinkContext context) {
                return Peer.of(props).anonymousKey();
            }

            @Override
            protected CompletionStage<Void> deliver(TcpLineConnection connection, List<Map<String, Object>> records) {
                return connection.send(context().encoder().encode(records));
            }
        };
    }
}
