package com.example.tcpline.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

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

/**
 * Sources of the lines the server sends that start with the datasource (every line for an empty one). The
 * connection's reader thread hands each line on: it is the connector's own and carries nothing else (no
 * acknowledgements, no keep-alive answers), so it may wait for the rule, which holds back the server through TCP. A
 * line cannot be acknowledged, so a rule without room for it within {@link #MAX_WAIT} lets it drop (counted).
 */
@Component(service = {SourceProvider.class, TcpLineSourceProvider.class},
        property = {ConnectorFactory.TYPE_PROPERTY + "=" + TcpLineConnectorFactory.TYPE,
                ConnectorFactory.SCHEMA_PROPERTY + "=" + TcpLineConnectorFactory.SCHEMA})
public final class TcpLineSourceProvider implements SourceProvider {
    static final Duration MAX_WAIT = Duration.ofMillis(500);

    /**
     * The sources listening, per connection id rather than per instance (the factory hands each instance its id's
     * set): the instance that replaces one (after an update, a re-dial on a timeout, the type's return) serves them.
     */
    final ConnectionScopes<Set<Consumer<String>>> listeners = new ConnectionScopes<>(id -> ConcurrentHashMap.newKeySet());

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return NodeProps.connectionProblems(props, own -> Peer.of(own).problems());
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        String prefix = datasource == null ? "" : datasource;
        return new Source() {
            private ConnectionHandle handle;
            private ConnectionScopes.Lease<Set<Consumer<String>>> listening;
            private Consumer<String> listener;

            @Override
            public void open(SourceContext context) {
                String key = NodeProps.usesNamedConnection(props) ? "" : Peer.of(props).anonymousKey();
                handle = context.pool().attach(context.ruleId(), key, TcpLineConnectorFactory.TYPE, props,
                        context.connectionStatusListener());
                Map<String, Object> meta = Map.of("connection", handle.connectionId());
                listener = line -> {
                    try {
                        if (line.startsWith(prefix)) {
                            context.offer(new RawMessage(line.getBytes(UTF_8), meta), MAX_WAIT);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                listening = listeners.acquire(handle.connectionId());
                listening.state().add(listener);
            }

            @Override
            public void close() {
                if (listening != null) {
                    listening.state().remove(listener);
                    listening.close();
                    handle.close();
                }
            }
        };
    }
}
