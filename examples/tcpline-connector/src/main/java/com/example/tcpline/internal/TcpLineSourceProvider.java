package com.example.tcpline.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.kit.NodeProps;

/** Sources of the lines the server sends that start with the datasource (every line for an empty one). */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineSourceProvider implements SourceProvider {
    /** A line cannot be acknowledged, so a rule without room for it this long lets it drop, as MQTT QoS 0. */
    static final Duration MAX_WAIT = Duration.ofMillis(500);

    private final TcpLineRuntime runtime;

    @Activate
    public TcpLineSourceProvider(@Reference TcpLineRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        NodeProps node = new NodeProps(props).checkConnection(Peer::problems);
        node.integer("bufferSize", 1024, 1, 1_000_000);
        return node.problems();
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        int bufferSize = new NodeProps(props).integer("bufferSize", 1024, 1, 1_000_000);
        return new LineSource(datasource == null ? "" : datasource, props, new ArrayBlockingQueue<>(bufferSize));
    }

    /**
     * The connection's reader only queues a line (it must never wait for a rule); the source's own thread offers
     * it to the rule.
     */
    private final class LineSource implements Source {
        private final String prefix;
        private final Map<String, Object> props;
        private final BlockingQueue<String> lines;
        private final Consumer<String> listener = this::received;
        private SourceContext context;
        private ConnectionHandle handle;
        private ConnectionScopes.Lease<Set<Consumer<String>>> listening;
        private Thread handingOn;

        LineSource(String prefix, Map<String, Object> props, BlockingQueue<String> lines) {
            this.prefix = prefix;
            this.props = props;
            this.lines = lines;
        }

        @Override
        public void open(SourceContext sourceContext) {
            context = sourceContext;
            String key = NodeProps.usesNamedConnection(props) ? "" : Peer.anonymousKey(props);
            handle = context.pool().attach(context.ruleId(), key, TcpLineConnectorFactory.TYPE, props,
                    context.connectionStatusListener());
            handingOn = new Thread(this::handOn, "tcpline-source-" + context.ruleId() + "-" + context.operatorId());
            handingOn.setDaemon(true);
            handingOn.start();
            listening = runtime.listeners.acquire(handle.connectionId());
            listening.state().add(listener);
        }

        @Override
        public void close() {
            if (listening != null) {
                listening.state().remove(listener);
                listening.close();
                handle.close();
                handingOn.interrupt();
            }
        }

        private void received(String line) {
            if (line.startsWith(prefix) && !lines.offer(line)) {
                context.reportError(new IllegalStateException("tcpline source: " + lines.size()
                        + " lines wait for the rule (bufferSize): line dropped"));
            }
        }

        private void handOn() {
            try {
                while (true) {
                    byte[] payload = lines.take().getBytes(StandardCharsets.UTF_8);
                    context.offer(new RawMessage(payload, Map.of("connection", handle.connectionId())), MAX_WAIT);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }
    }
}
