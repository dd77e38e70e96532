package io.tether.conn.http.internal.client;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/**
 * Connections of type {@value #TYPE}: pooled HTTP clients, one per distinct settings, used by the rest sink and the
 * httppull source. The schema checked their props before {@link #validate}.
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + HttpConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + HttpConnectorFactory.SCHEMA})
public final class HttpConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "http";
    public static final String SCHEMA = "OSGI-INF/tether/schema/http.json";

    private final JavaClients clients = new JavaClients();

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return HttpSettings.of(props).problems();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new HttpConnection(HttpSettings.of(props), clients, context);
    }

    @Deactivate
    public void deactivate() {
        clients.close();
    }
}
