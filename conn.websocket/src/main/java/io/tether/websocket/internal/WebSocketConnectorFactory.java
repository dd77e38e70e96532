package io.tether.websocket.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.kit.ConnectionScopes;
import io.tether.websocket.internal.WebSocketRuntime.Receiver;

/** Connection type {@value #TYPE} (SPEC §9): a WebSocket client ({@code addr} set) or a data-server endpoint. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + WebSocketConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + WebSocketConnectorFactory.SCHEMA})
public final class WebSocketConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "websocket";
    static final String SCHEMA = "OSGI-INF/tether/schema/websocket.json";

    private final WebSocketRuntime runtime;

    @Activate
    public WebSocketConnectorFactory(@Reference WebSocketRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return WebSocketSettings.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        WebSocketSettings settings = WebSocketSettings.of(props);
        ConnectionScopes.Lease<Set<Receiver>> receivers = runtime.receivers().acquire(context.connectionId());
        return settings.clientMode() ? new ClientConnection(settings, context, runtime, receivers)
                : new ServerConnection(settings, context, runtime, receivers);
    }
}
