package io.tether.jdbc.mariadb.internal;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.mariadb.jdbc.MariaDbDataSource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The OSGi JDBC service of MariaDB Connector/J, which registers none itself: with it installed, {@code jdbc:mariadb:}
 * URLs (and {@code mysql://} URLs of the SQL connector) find their driver as every other database does.
 */
@Component(property = {
    DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.mariadb.jdbc.Driver",
    DataSourceFactory.OSGI_JDBC_DRIVER_NAME + "=MariaDB Connector/J" })
public class MariaDbDataSourceFactory implements DataSourceFactory {

    @Override
    public DataSource createDataSource(Properties props) throws SQLException {
        return configured(props);
    }

    @Override
    public ConnectionPoolDataSource createConnectionPoolDataSource(Properties props) throws SQLException {
        return configured(props);
    }

    @Override
    public XADataSource createXADataSource(Properties props) throws SQLException {
        return configured(props);
    }

    @Override
    public Driver createDriver(Properties props) throws SQLException {
        if (props != null && !props.isEmpty()) {
            throw new SQLException("unsupported driver properties: " + props.stringPropertyNames());
        }
        return new org.mariadb.jdbc.Driver();
    }

    private static MariaDbDataSource configured(Properties props) throws SQLException {
        DataSourceProperties settings = new DataSourceProperties(props);
        MariaDbDataSource dataSource = new MariaDbDataSource(settings.url());
        if (settings.user() != null) {
            dataSource.setUser(settings.user());
        }
        if (settings.password() != null) {
            dataSource.setPassword(settings.password());
        }
        return dataSource;
    }
}
