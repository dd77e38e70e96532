package io.tether.jdbc.mariadb.internal;

import static org.osgi.service.jdbc.DataSourceFactory.JDBC_DATABASE_NAME;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_PASSWORD;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_PORT_NUMBER;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_SERVER_NAME;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_URL;
import static org.osgi.service.jdbc.DataSourceFactory.JDBC_USER;

import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code DataSourceFactory} properties MariaDB's data source understands: a URL, or a server, port and database
 * to make one of; a user and a password. Any other property is refused, as the OSGi JDBC specification asks.
 */
final class DataSourceProperties {
    private static final Set<String> SUPPORTED = Set.of(JDBC_URL, JDBC_SERVER_NAME, JDBC_PORT_NUMBER,
            JDBC_DATABASE_NAME, JDBC_USER, JDBC_PASSWORD);

    private final String url;
    private final String user;
    private final String password;

    DataSourceProperties(Properties props) throws SQLException {
        Properties given = props == null ? new Properties() : props;
        Set<String> unsupported = new TreeSet<>(given.stringPropertyNames());
        unsupported.removeAll(SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new SQLException("unsupported data source properties: " + unsupported);
        }
        String configuredUrl = given.getProperty(JDBC_URL);
        if (configuredUrl == null) {
            String server = given.getProperty(JDBC_SERVER_NAME, "localhost");
            String port = given.getProperty(JDBC_PORT_NUMBER, "3306");
            configuredUrl = "jdbc:mariadb://" + server + ":" + port + "/" + given.getProperty(JDBC_DATABASE_NAME, "");
        }
        this.url = configuredUrl;
        this.user = given.getProperty(JDBC_USER);
        this.password = given.getProperty(JDBC_PASSWORD);
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }
}
