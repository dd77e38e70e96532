package io.tether.websocket.internal;

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

/**
 * Sinks that send each encoded payload as a text frame: through the client (client mode) or to every client of the
 * endpoint (server mode). {@code path} is the endpoint.
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + WebSocketConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + WebSocketConnectorFactory.SCHEMA})
public final class WebSocketSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return NodeProps.connectionProblems(props, own -> WebSocketSettings.of(own).problems());
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new ConnectedSink<>(WebSocketConnectorFactory.TYPE, WebSocketLink.class, props) {
            @Override
            protected String anonymousKey(SinkContext context) {
                return WebSocketSettings.of(props).anonymousKey();
            }

            @Override
            protected CompletionStage<Void> deliver(WebSocketLink link, List<Map<String, Object>> records) {
                return link.send(context().encoder().encode(records));
            }
        };
    }
}
