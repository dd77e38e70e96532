package io.tether.conn.sql.internal.sink;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkProvider;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/** The sql sinks: insert, update and delete rows of a table over pooled sql connections. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + SqlConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + SqlConnectorFactory.SCHEMA})
public final class SqlSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return SinkConfig.validate(props);
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new SqlSink(SinkConfig.of(props));
    }

    /** The connection's {@code password} prop; a password inside the URL is masked by the pool's URL rules. */
    @Override
    public Set<String> secretProps() {
        return Set.of(SqlSettings.PASSWORD);
    }
}
