package io.tether.jdbc.sqlite.internal;

import static org.osgi.service.jdbc.DataSourceFactory.JDBC_DATABASE_NAME;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_URL;

import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jdbc.DataSourceFactory;
import org.sqlite.SQLiteDataSource;
import org.sqlite.javax.SQLiteConnectionPoolDataSource;

/**
 * The OSGi JDBC service of the SQLite driver (the embedded database), which registers none itself. SQLite has no
 * users: a data source is a URL ({@code jdbc:sqlite:/path/file.db}) or a database file name.
 */
@Component(property = {
    DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.sqlite.JDBC",
    DataSourceFactory.OSGI_JDBC_DRIVER_NAME + "=SQLite JDBC" })
public class SqliteDataSourceFactory implements DataSourceFactory {
    private static final Set<String> SUPPORTED = Set.of(JDBC_URL, JDBC_DATABASE_NAME);

    @Override
    public DataSource createDataSource(Properties props) throws SQLException {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl(url(props));
        return dataSource;
    }

    @Override
    public ConnectionPoolDataSource createConnectionPoolDataSource(Properties props) throws SQLException {
        SQLiteConnectionPoolDataSource dataSource = new SQLiteConnectionPoolDataSource();
        dataSource.setUrl(url(props));
        return dataSource;
    }

    @Override
    public XADataSource createXADataSource(Properties props) throws SQLException {
        throw new SQLFeatureNotSupportedException("SQLite has no XA data source");
    }

    @Override
    public Driver createDriver(Properties props) throws SQLException {
        if (props != null && !props.isEmpty()) {
            throw new SQLException("unsupported driver properties: " + props.stringPropertyNames());
        }
        return new org.sqlite.JDBC();
    }

    private static String url(Properties props) throws SQLException {
        Properties given = props == null ? new Properties() : props;
        Set<String> unsupported = new TreeSet<>(given.stringPropertyNames());
        unsupported.removeAll(SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new SQLException("unsupported data source properties: " + unsupported);
        }
        String url = given.getProperty(JDBC_URL);
        if (url != null) {
            return url;
        }
        String file = given.getProperty(JDBC_DATABASE_NAME);
        if (file == null) {
            throw new SQLException("a url or a databaseName is required");
        }
        return "jdbc:sqlite:" + file;
    }
}
