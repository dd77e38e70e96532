package io.tether.edgex.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/** Connections of type {@value #TYPE}: the EdgeX message bus over MQTT, NATS core or NATS JetStream. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + EdgexConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + EdgexConnectorFactory.SCHEMA})
public final class EdgexConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "edgex";
    static final String SCHEMA = "OSGI-INF/tether/schema/edgex.json";

    private final EdgexSourceProvider sources;
    private final EdgexConnection.Clients clients;

    @Activate
    public EdgexConnectorFactory(@Reference EdgexSourceProvider sources) {
        this.sources = sources;
        this.clients = this::client;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return BusSettings.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new EdgexConnection(BusSettings.of(props), context, sources.subscribers.acquire(context.connectionId()),
                clients);
    }

    private BusClient client(BusSettings settings, ConnectionContext context, Consumer<String> lost) {
        return settings.type().isNats() ? new NatsBusClient(settings, context, lost)
                : new MqttBusClient(settings, context, lost, sources.threads);
    }
}
