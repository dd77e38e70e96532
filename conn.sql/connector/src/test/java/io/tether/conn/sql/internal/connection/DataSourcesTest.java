package io.tether.conn.sql.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.conn.sql.internal.Databases;
import io.tether.testkit.Poll;
import io.tether.testkit.TcpProxy;

/** Logins end within the connection time-out against a silent peer, and leave no driver thread waiting on it. */
class DataSourcesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    @Test
    void theDriversTimeOutsAreAddedToTheUrlUnlessItSetsThem() throws Exception {
        assertEquals("jdbc:postgresql://h/db?sslmode=disable&connectTimeout=2&loginTimeout=2&socketTimeout=2",
                urlGiven("jdbc:postgresql://h/db?sslmode=disable", Duration.ofMillis(1500)));
        assertEquals("jdbc:postgresql://h/db?socketTimeout=30&connectTimeout=1&loginTimeout=1",
                urlGiven("jdbc:postgresql://h/db?socketTimeout=30", TIMEOUT));
        assertEquals("jdbc:mariadb://h/db?connectTimeout=1500",
                urlGiven("jdbc:mariadb://h/db", Duration.ofMillis(1500)));
        assertEquals("jdbc:mariadb://h/db?connectTimeout=200",
                urlGiven("jdbc:mariadb://h/db?connectTimeout=200", TIMEOUT));
        assertEquals("jdbc:sqlite:/tmp/x.db", urlGiven("jdbc:sqlite:/tmp/x.db", TIMEOUT));
    }

    @Test
    @Tag("postgres")
    void aPostgresLoginToASilentPeerEndsAndLeavesNoDriverThread() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5432)) {
            proxy.freeze();
            DataSource dataSource = DataSources.create(Databases.postgresDriver(),
                    DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + proxy.port() + "/test", null, null), TIMEOUT);
            long start = System.nanoTime();
            assertThrows(SQLException.class, () -> DataSources.probe(dataSource, TIMEOUT, connection -> {
            }));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0);
            Poll.until("pgjdbc's connect thread ends", Duration.ofSeconds(3), () -> driverThreads().isEmpty(),
                    DataSourcesTest::driverThreads);
        }
    }

    @Test
    @Tag("postgres")
    void aPostgresConnectionHasNoSocketTimeoutOnceLoggedInUnlessTheUrlSetsOne() throws Exception {
        DataSource bounded = DataSources.create(Databases.postgresDriver(),
                DatabaseUrl.parse(Databases.POSTGRES_URL, null, null), TIMEOUT);
        try (Connection connection = bounded.getConnection()) {
            assertEquals(0, connection.getNetworkTimeout());
        }
        DataSource chosen = DataSources.create(Databases.postgresDriver(),
                DatabaseUrl.parse(Databases.POSTGRES_URL + "&socketTimeout=7", null, null), TIMEOUT);
        try (Connection connection = chosen.getConnection()) {
            assertEquals(7000, connection.getNetworkTimeout());
        }
    }

    @Test
    @Tag("mariadb")
    void aMariaDbLoginToASilentPeerEnds() throws Exception {
        try (TcpProxy proxy = new TcpProxy(3306)) {
            proxy.freeze();
            DataSource dataSource = DataSources.create(Databases.mariadbDriver(),
                    DatabaseUrl.parse("mysql://root@127.0.0.1:" + proxy.port() + "/test", null, null),
                    Duration.ofMillis(500));
            long start = System.nanoTime();
            // the login runs on the calling thread: it ending is all there is to check
            assertThrows(SQLException.class, dataSource::getConnection);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0);
        }
    }

    private static Set<String> driverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("PostgreSQL JDBC driver connection thread"))
                .collect(Collectors.toSet());
    }

    private static String urlGiven(String jdbcUrl, Duration timeout) throws SQLException {
        Recording driver = new Recording();
        DataSources.create(driver, DatabaseUrl.parse(jdbcUrl, null, null), timeout);
        return driver.props.getProperty(DataSourceFactory.JDBC_URL);
    }

    /** Records the props it is given; makes nothing. */
    private static final class Recording implements DataSourceFactory {
        Properties props;

        @Override
        public DataSource createDataSource(Properties given) {
            props = given;
            return null;
        }

        @Override
        public ConnectionPoolDataSource createConnectionPoolDataSource(Properties given) {
            throw new UnsupportedOperationException();
        }

        @Override
        public XADataSource createXADataSource(Properties given) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Driver createDriver(Properties given) {
            throw new UnsupportedOperationException();
        }
    }
}
