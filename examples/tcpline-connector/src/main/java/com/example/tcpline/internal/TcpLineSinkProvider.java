package com.example.tcpline.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.NodeProps;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

/**
 * Sinks that send each payload of an emission (a JSON array, or one object per record with {@code sendSingle}) as a
 * line: JSON holds no raw line break.
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return NodeProps.connectionProblems(props, Peer::problems);
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new ConnectedSink<>(TcpLineConnectorFactory.TYPE, TcpLineConnection.class, props) {
            @Override
            protected String anonymousKey(SinkContext context) {
                return Peer.anonymousKey(props);
            }

            @Override
            protected CompletionStage<Void> deliver(TcpLineConnection connection, List<Map<String, Object>> records) {
                return connection.send(context().encoder().encode(records));
            }
        };
    }
}
