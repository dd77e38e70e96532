package io.tether.conn.sql.internal.source;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceProvider;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/** The sql sources: polling queries over pooled sql connections. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + SqlConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + SqlConnectorFactory.SCHEMA})
public final class SqlSourceProvider implements SourceProvider {

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return SourceConfig.validate(datasource, props);
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        return new SqlSource(SourceConfig.of(datasource, props));
    }

    /** The connection's {@code password} prop; a password inside the URL is masked by the pool's URL rules. */
    @Override
    public Set<String> secretProps() {
        return Set.of(SqlSettings.PASSWORD);
    }
}
