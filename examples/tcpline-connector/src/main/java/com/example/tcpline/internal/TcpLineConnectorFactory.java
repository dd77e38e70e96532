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

    private final TcpLineRuntime runtime;

    @Activate
    public TcpLineConnectorFactory(@Reference TcpLineRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return Peer.problems(props);
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new TcpLineConnection(Peer.read(new NodeProps(props)), context,
                runtime.listeners.acquire(context.connectionId()));
    }

    /** The connection props: the server's {@code host} and {@code port}, and an optional {@code password}. */
    record Peer(String host, int port, String password) {
        static Peer read(NodeProps node) {
            String host = node.requiredString("host");
            if (!node.has("port")) {
                node.problem("port", "missing port property");
            }
            return new Peer(host, node.integer("port", 0, 1, 65535), node.string("password", null));
        }

        /** Lets other props pass: an anonymous connection gets all its source's or sink's props. */
        static List<PropError> problems(Map<String, Object> props) {
            NodeProps node = new NodeProps(props);
            read(node);
            return node.problems();
        }

        /** Sources and sinks without connectionSelector share one connection per server and password. */
        static String anonymousKey(Map<String, Object> props) {
            Peer peer = read(new NodeProps(props));
            return AnonymousKeys.shared(peer.toString(), peer.password());
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
