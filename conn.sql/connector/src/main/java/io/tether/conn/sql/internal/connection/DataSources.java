package io.tether.conn.sql.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;

/** Plain (unpooled) data sources made by a driver's {@link DataSourceFactory}, and a bounded connect test. */
final class DataSources {

    private DataSources() {
    }

    static DataSource create(DataSourceFactory driver, DatabaseUrl url) throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url.jdbcUrl());
        if (url.user() != null) {
            props.setProperty(DataSourceFactory.JDBC_USER, url.user());
        }
        if (url.password() != null) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, url.password());
        }
        return driver.createDataSource(props);
    }

    /** Opens one connection, checks it answers, and closes it; fails within about {@code timeout}. */
    static void probe(DataSource dataSource, Duration timeout) throws SQLException {
        int seconds = seconds(timeout);
        dataSource.setLoginTimeout(seconds);
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(seconds)) {
                throw new SQLException("the database did not answer within " + seconds + " s");
            }
        }
    }

    /** JDBC time-outs are whole seconds, and 0 means none. */
    static int seconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }
}
