package com.example.tcpline.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.NodeProps;

/** Sinks that send each encoded payload (JSON: no raw line break) as a line. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return NodeProps.connectionProblems(props, own -> Peer.of(own).problems());
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
