package io.tether.websocket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.kit.NodeProps;
import io.tether.websocket.internal.WebSocketRuntime.Receiver;

/**
 * Sources of the messages a websocket connection receives: {@code datasource} is the endpoint path (the connection's
 * {@code path} when the props name none). Every source attached to a connection receives every message, in order,
 * and each message waits until every source's rule accepted it: a message cannot be acknowledged to the peer, so
 * waiting is what keeps it from being lost (the connection reads at most a few messages further from that peer
 * meanwhile, in both modes: see {@link Inbox}).
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + WebSocketConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + WebSocketConnectorFactory.SCHEMA})
public final class WebSocketSourceProvider implements SourceProvider {
    /** How long a message waits for its rule: until the rule takes it or stops. */
    static final Duration UNTIL_ACCEPTED = Duration.ofDays(365);

    private final WebSocketRuntime runtime;

    @Activate
    public WebSocketSourceProvider(@Reference WebSocketRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (datasource == null || !datasource.startsWith("/")) {
            problems.add(new PropError(WebSocketSettings.DATASOURCE, WebSocketSettings.ENDPOINT_PROBLEM));
        }
        problems.addAll(NodeProps.connectionProblems(connectionProps(datasource, props),
                own -> WebSocketSettings.of(own).problems()));
        return problems;
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        Map<String, Object> connectionProps = connectionProps(datasource, props);
        return new Source() {
            private ConnectionHandle handle;
            private ConnectionScopes.Lease<Set<Receiver>> listening;
            private Receiver receiver;

            @Override
            public void open(SourceContext context) {
                String key = NodeProps.usesNamedConnection(connectionProps) ? ""
                        : WebSocketSettings.of(connectionProps).anonymousKey();
                handle = context.pool().attach(context.ruleId(), key, WebSocketConnectorFactory.TYPE,
                        connectionProps, context.connectionStatusListener());
                Map<String, Object> meta = Map.of("connection", handle.connectionId());
                receiver = payload -> context.offer(new RawMessage(payload, meta), UNTIL_ACCEPTED);
                listening = runtime.receivers().acquire(handle.connectionId());
                listening.state().add(receiver);
            }

            @Override
            public void close() {
                if (listening != null) {
                    listening.state().remove(receiver);
                    listening.close();
                    listening = null;
                }
                if (handle != null) {
                    handle.close();
                    handle = null;
                }
            }
        };
    }

    /** The props the source attaches with: its own, the datasource as the endpoint path unless they name one. */
    private static Map<String, Object> connectionProps(String datasource, Map<String, Object> props) {
        Map<String, Object> connection = new HashMap<>(props);
        Object path = connection.get(WebSocketSettings.PATH);
        if ((path == null || "".equals(path)) && datasource != null && !datasource.isEmpty()) {
            connection.put(WebSocketSettings.PATH, datasource);
        }
        return connection;
    }
}
