package io.tether.edgex.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.kit.NodeProps;
import io.tether.lib.mqtt.ClientThreads;

/**
 * Sources of EdgeX events: the stream's datasource (or the {@code topic} prop; default {@code edgex/rules-events})
 * is the topic filter, {@code messageType} says whether payloads are Events or AddEventRequests.
 */
@Component(service = {SourceProvider.class, EdgexSourceProvider.class},
        property = {ConnectorFactory.TYPE_PROPERTY + "=" + EdgexConnectorFactory.TYPE,
                ConnectorFactory.SCHEMA_PROPERTY + "=" + EdgexConnectorFactory.SCHEMA})
public final class EdgexSourceProvider implements SourceProvider {
    static final String DEFAULT_TOPIC = "edgex/rules-events";

    /** The subscriptions per connection id, kept for the connection's successive instances and clients. */
    final ConnectionScopes<Subscribers> subscribers = new ConnectionScopes<>(id -> new Subscribers());
    /** The MQTT clients' keep-alive and dispatch threads (started on first use), stopped with the bundle. */
    final ClientThreads threads = new ClientThreads("edgex");

    @Deactivate
    void stop() {
        threads.close();
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        NodeProps node = new NodeProps(props).checkConnection(own -> BusSettings.of(own).problems());
        String typeText = node.string("messageType", "event");
        if (MessageType.of(typeText) == null) {
            node.problem("messageType", "specified wrong messageType value " + typeText);
        }
        if (topic(datasource, node).isBlank()) {
            node.problem("topic", "missing topic property");
        }
        return node.problems();
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        MessageType type = MessageType.of(node.string("messageType", "event"));
        return new EdgexSource(subscribers, topic(datasource, node), type == null ? MessageType.EVENT : type, props);
    }

    private static String topic(String datasource, NodeProps node) {
        return datasource != null && !datasource.isBlank() ? datasource : node.string("topic", DEFAULT_TOPIC);
    }
}
