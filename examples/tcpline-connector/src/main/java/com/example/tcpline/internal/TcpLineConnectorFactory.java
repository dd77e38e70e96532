package com.example.tcpline.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.NodeProps;

/** Connections of type {@value #TYPE}; the schema checked their props before {@link #validate}. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "tcpline";
    static final String SCHEMA = "OSGI-INF/tether/schema/tcpline.json";

    private final TcpLineNodes nodes;

    @Activate
    public TcpLineConnectorFactory(@Reference TcpLineNodes nodes) {
        this.nodes = nodes;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return Peer.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new TcpLineConnection(Peer.of(props), context, nodes.listeners.feed(context.connectionId()));
    }

    /**
     * The connection props: the server's {@code host} and {@code port}, an optional {@code password}, and what is
     * wrong with them. Other props pass: an anonymous connection gets all its source's or sink's props.
     */
    record Peer(String host, int port, String password, List<PropError> problems) {
        static Peer of(Map<String, Object> props) {
            NodeProps node = new NodeProps(props);
            String host = node.requiredString("host");
            if (!node.has("port")) {
                node.problem("port", "missing port property");
            }
            return new Peer(host, node.integer("port", 0, 1, 65535), node.string("password", null), node.problems());
        }

        /** Sources and sinks without connectionSelector share one connection per server and password. */
        String anonymousKey() {
            return AnonymousKeys.shared(toString(), password);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
