package io.tether.conn.http.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.StatusSink;

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

    @Override
    public boolean supportsCheck() {
        return true;
    }

    /** Dials a connection of these props (tokens obtained, the server probed) and closes it. */
    @Override
    public void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        HttpSettings settings = HttpSettings.of(props);
        if (!settings.problems().isEmpty()) {
            throw ConnectionException.permanent(settings.problems().stream().map(PropError::message)
                    .collect(Collectors.joining("; ")), null);
        }
        HttpConnection connection = new HttpConnection(settings, clients, new CheckContext(timeout));
        try {
            connection.dial();
        } finally {
            connection.close();
        }
    }

    /** The context of a connectivity check: no status to report, the check's time for the dial. */
    private record CheckContext(Duration dialTimeout) implements ConnectionContext, StatusSink {
        @Override
        public String connectionId() {
            return "check";
        }

        @Override
        public StatusSink statusSink() {
            return this;
        }

        @Override
        public void connected() {
        }

        @Override
        public void disconnected(String reason) {
        }

        @Override
        public void retryNow() {
        }
    }

    @Deactivate
    public void deactivate() {
        clients.close();
    }
}
