package io.tether.conn.http.internal.push;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.dataserver.DataServer;

/** Connections of type {@value #TYPE}: endpoints on the data server; the schema checked their props first. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + HttpPushConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + HttpPushConnectorFactory.SCHEMA})
public final class HttpPushConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "httppush";
    static final String SCHEMA = "OSGI-INF/tether/schema/httppush.json";

    private final DataServer server;
    private final PushSources sources;

    @Activate
    public HttpPushConnectorFactory(@Reference DataServer server, @Reference PushSources sources) {
        this.server = server;
        this.sources = sources;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return PushSettings.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new HttpPushConnection(PushSettings.of(props), server, sources.attached.acquire(context.connectionId()));
    }
}
