package io.tether.conn.sql.internal.connection;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/**
 * The connector of type {@value #TYPE}. Drivers are the {@link DataSourceFactory} services of driver bundles, so
 * that adding a database is installing its driver bundle.
 */
@Component(service = ConnectorFactory.class, property = {ConnectorFactory.TYPE_PROPERTY + "=" + SqlConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + SqlConnectorFactory.SCHEMA})
public final class SqlConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "sql";
    /** The props schema in this bundle, named on the factory and the providers. */
    public static final String SCHEMA = "OSGI-INF/tether/schema/sql.json";

    private final DriverCatalog drivers = new DriverCatalog();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDriver")
    void addDriver(DataSourceFactory driver, Map<String, Object> properties) {
        int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
        drivers.add(driver, ranking, (Long) properties.get(Constants.SERVICE_ID));
    }

    void removeDriver(DataSourceFactory driver) {
        drivers.remove(driver);
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return SqlSettings.validate(props);
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new SqlConnection(SqlSettings.of(props), drivers, context);
    }

    @Override
    public boolean supportsCheck() {
        return true;
    }

    @Override
    public void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        DatabaseUrl url = SqlSettings.of(props).url();
        DataSourceFactory driver = drivers.find(url.jdbcUrl()).orElseThrow(
                () -> ConnectionException.io("no JDBC driver installed for '" + url.scheme() + "'", null));
        try {
            DataSource dataSource = DataSources.create(driver, url, timeout);
            DataSources.probe(dataSource, timeout, connection -> {
            });
        } catch (SQLException | RuntimeException | LinkageError e) {
            throw Failures.dialFailure(e, url.password());
        }
    }
}
