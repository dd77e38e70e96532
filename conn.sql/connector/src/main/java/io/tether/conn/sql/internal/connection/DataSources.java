package io.tether.conn.sql.internal.connection;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;

/**
 * Plain (unpooled) data sources made by a driver's {@link DataSourceFactory}, with bounded logins, and a bounded
 * connect test.
 */
final class DataSources {
    private static final String POSTGRES = "jdbc:postgresql:";
    private static final String MARIADB = "jdbc:mariadb:";

    private DataSources() {
    }

    /**
     * A data source whose logins, made on any thread, end within about {@code loginTimeout} (rounded up to whole
     * seconds for PostgreSQL), even against a peer that accepts and never answers: for PostgreSQL and MariaDB, the
     * driver's own connect and login time-outs are added to the URL unless it sets them. pgjdbc reads its login
     * with no time-out but {@code socketTimeout}; that would bound every query too, so it is taken off each connection
     * once logged in (a query then waits as long as it takes, as without it: a failed ping aborts it). Other drivers
     * get only {@link DataSource#setLoginTimeout}, which {@link #probe} sets.
     */
    static DataSource create(DataSourceFactory driver, DatabaseUrl url, Duration loginTimeout) throws SQLException {
        String jdbcUrl = url.jdbcUrl();
        boolean loginSocketTimeout = false;
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRES)) {
            // pgjdbc's time-outs are seconds
            String seconds = String.valueOf(seconds(loginTimeout));
            loginSocketTimeout = !hasParameter(jdbcUrl, "socketTimeout");
            jdbcUrl = withDefault(jdbcUrl, "connectTimeout", seconds);
            jdbcUrl = withDefault(jdbcUrl, "loginTimeout", seconds);
            jdbcUrl = withDefault(jdbcUrl, "socketTimeout", seconds);
        } else if (lower.startsWith(MARIADB)) {
            // milliseconds; it bounds the handshake's reads too, after which socketTimeout (none unless set) applies
            jdbcUrl = withDefault(jdbcUrl, "connectTimeout", String.valueOf(loginTimeout.toMillis()));
        }
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, jdbcUrl);
        if (url.user() != null) {
            props.setProperty(DataSourceFactory.JDBC_USER, url.user());
        }
        if (url.password() != null) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, url.password());
        }
        DataSource dataSource = driver.createDataSource(props);
        return loginSocketTimeout ? new SocketTimeoutForLoginOnly(dataSource) : dataSource;
    }

    /**
     * Opens one connection, checks it answers, and closes it; fails within about {@code timeout}.
     *
     * @param opened told of the connection once logged in (to abort it from another thread)
     */
    static void probe(DataSource dataSource, Duration timeout, Consumer<Connection> opened) throws SQLException {
        int seconds = seconds(timeout);
        dataSource.setLoginTimeout(seconds);
        try (Connection connection = dataSource.getConnection()) {
            opened.accept(connection);
            if (!connection.isValid(seconds)) {
                throw new SQLException("the database did not answer within " + seconds + " s");
            }
        }
    }

    /** JDBC time-outs are whole seconds, and 0 means none. */
    static int seconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    private static String withDefault(String jdbcUrl, String name, String value) {
        if (hasParameter(jdbcUrl, name)) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.indexOf('?') >= 0 ? "&" : "?") + name + "=" + value;
    }

    private static boolean hasParameter(String jdbcUrl, String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
            if (parameter.split("=", 2)[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Takes the login's socket time-out off each connection it hands out. */
    private record SocketTimeoutForLoginOnly(DataSource dataSource) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return withoutSocketTimeout(dataSource.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return withoutSocketTimeout(dataSource.getConnection(username, password));
        }

        private static Connection withoutSocketTimeout(Connection connection) throws SQLException {
            try {
                connection.setNetworkTimeout(Runnable::run, 0);
                return connection;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return dataSource.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            dataSource.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            dataSource.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return dataSource.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return dataSource.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(dataSource) ? iface.cast(dataSource) : dataSource.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(dataSource) || dataSource.isWrapperFor(iface);
        }
    }
}
