package io.tether.conn.sql.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.conn.sql.internal.Databases;
import io.tether.testkit.Poll;
import io.tether.testkit.TestPool;

/** The sql connection in the real pool, on SQLite files: hermetic. */
class SqlConnectionTest {
    private final List<ConnectionHandle> handles = new CopyOnWriteArrayList<>();
    private SqlPool pool;
    private String url;

    @BeforeEach
    void setUp() throws Exception {
        url = "sqlite:" + Databases.sqliteFile("connection-" + System.nanoTime());
    }

    @AfterEach
    void tearDown() throws Exception {
        handles.forEach(ConnectionHandle::close);
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void aNamedConnectionConnectsAndServesConnections() throws Exception {
        pool = new SqlPool().withDriver(Databases.sqliteDriver());
        pool.connections.create("plant", "sql", Map.of("dburl", url));
        pool.awaitStatus("plant", Status.CONNECTED, null);
        ConnectionHandle handle = attach("rule1", "plant-key", Map.of("connectionSelector", "plant"), null);
        try (Connection connection = handle.as(SqlConnection.class).borrow();
                ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
            assertTrue(one.next());
            assertEquals(1, one.getInt(1));
        }
    }

    @Test
    void twoConsumersOfOneUrlShareOnePool() throws Exception {
        pool = new SqlPool().withDriver(Databases.sqliteDriver());
        Map<String, Object> props = Map.of("url", url);
        ConnectionHandle first = attach("rule1", SqlSettings.anonymousKey(props), props, null);
        ConnectionHandle second = attach("rule2", SqlSettings.anonymousKey(props), props, null);
        assertEquals(first.connectionId(), second.connectionId());
        pool.awaitStatus(first.connectionId(), Status.CONNECTED, null);
        assertSame(first.as(SqlConnection.class), second.as(SqlConnection.class));
        ConnectionInfo shared = pool.connections.list(true).get(0);
        assertEquals(List.of("rule1", "rule2"), shared.status().refs());
        assertEquals(1, pool.connections.list(true).size());
    }

    @Test
    void withoutItsDriverAConnectionWaitsAndConnectsAsSoonAsTheDriverAppears() throws Exception {
        // backoff of 30 s and more: only the connector's own reaction to the driver can connect it in time
        pool = new SqlPool(TestPool.builder().backoff(Duration.ofSeconds(30), 1.5, Duration.ofSeconds(60)));
        List<ConnectionStatus> told = new CopyOnWriteArrayList<>();
        pool.connections.create("later", "sql", Map.of("dburl", url));
        attach("rule1", "k", Map.of("connectionSelector", "later"), told);
        pool.awaitStatus("later", Status.DISCONNECTED, "no JDBC driver installed for 'sqlite'");

        long start = System.nanoTime();
        DataSourceFactory driver = Databases.sqliteDriver();
        pool.withDriver(driver);
        pool.awaitStatus("later", Status.CONNECTED, null);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        Poll.until("the consumer is told", () -> told.stream().anyMatch(s -> s.status() == Status.CONNECTED),
                () -> told);

        // the driver goes: the link is reported lost with the reason, then the dials find no driver
        int before = told.size();
        pool.removeDriver(driver);
        Poll.until("the consumer is told the driver went", () -> told.subList(before, told.size()).stream()
                .anyMatch(s -> s.status() == Status.DISCONNECTED
                        && "the JDBC driver for 'sqlite' was removed".equals(s.err())), () -> told);

        // and comes back: connected again at once, not at the next backoff step
        int beforeReturn = told.size();
        pool.withDriver(Databases.sqliteDriver());
        pool.awaitStatus("later", Status.CONNECTED, null);
        Poll.until("the consumer is told it is back", () -> told.subList(beforeReturn, told.size()).stream()
                .anyMatch(s -> s.status() == Status.CONNECTED), () -> told);
    }

    private ConnectionHandle attach(String ref, String key, Map<String, Object> props, List<ConnectionStatus> told) {
        ConnectionHandle handle = pool.connections.attach(ref, key, "sql", props,
                (id, status) -> {
                    if (told != null) {
                        told.add(status);
                    }
                });
        handles.add(handle);
        return handle;
    }
}
