package io.tether.conn.sql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.conn.sql.internal.sink.SqlSinkProvider;
import io.tether.conn.sql.internal.source.SqlSourceProvider;

/** Against the machine's PostgreSQL (127.0.0.1:5432, database test), each test on a table of its own. */
@Tag("postgres")
class PostgresTest extends DatabaseTest {

    @Override
    DataSourceFactory driver() {
        return Databases.postgresDriver();
    }

    @Override
    Connection openDatabase() throws Exception {
        return Databases.postgres();
    }

    @Override
    String tablePrefix() {
        return "tether_pg_";
    }

    @Test
    void namedConnectionConnectsAndShowsItsPasswordMasked() {
        ConnectionInfo created = pool.registry.create("pg", "sql",
                Map.of("dburl", "postgres://postgres:s3cret@127.0.0.1:5432/test?sslmode=disable"));
        assertEquals("postgres://postgres:******@127.0.0.1:5432/test?sslmode=disable", created.props().get("dburl"));
        pool.awaitStatus("pg", Status.CONNECTED, null);
    }

    @Test
    void unreachableAtCreateIsDisconnectedWithTheDriversMessageThenConnectsWhenTheDatabaseAppears()
            throws Exception {
        TcpProxy proxy = proxy();
        pool.registry.create("late", "sql", Map.of("dburl", proxiedUrl(proxy)));
        ConnectionInfo down = pool.awaitStatus("late", Status.DISCONNECTED, "Connection to 127.0.0.1:" + proxy.port()
                + " refused");
        assertFalse(down.status().err().contains("******"));
        proxy.restore();
        pool.awaitStatus("late", Status.CONNECTED, null);
    }

    @Test
    void aDatabaseThatGoesAwayIsReportedAndReconnectedWithoutUserAction() throws Exception {
        TcpProxy proxy = proxy();
        proxy.restore();
        pool.registry.create("flaky", "sql", Map.of("dburl", proxiedUrl(proxy)));
        pool.awaitStatus("flaky", Status.CONNECTED, null);
        List<ConnectionStatus> told = new CopyOnWriteArrayList<>();
        ConnectionHandle handle = pool.registry.attach("rule1", "k", "sql", Map.of("connectionSelector", "flaky"),
                (id, status) -> told.add(status));
        closing.add(handle);

        proxy.cut();
        Poll.until("the consumer is told the database went away", () -> told.stream()
                .anyMatch(s -> s.status() == Status.DISCONNECTED && s.err() != null), () -> told);
        proxy.restore();
        pool.awaitStatus("flaky", Status.CONNECTED, null);
        Poll.until("the consumer is told it is back", () -> told.get(told.size() - 1).status() == Status.CONNECTED,
                () -> told);
    }

    @Test
    void connectivityCheckReportsTheDriversReason() throws Exception {
        pool.factory.check(Map.of("url", Databases.POSTGRES_URL), Duration.ofSeconds(2));
        TcpProxy proxy = proxy();
        ConnectionException refused = assertThrows(ConnectionException.class,
                () -> pool.factory.check(Map.of("url", proxiedUrl(proxy)), Duration.ofSeconds(2)));
        assertTrue(refused.getMessage().startsWith("Connection to 127.0.0.1:" + proxy.port() + " refused"),
                refused.getMessage());
        ConnectionException noDriver = assertThrows(ConnectionException.class,
                () -> pool.factory.check(Map.of("url", Databases.MARIADB_URL), Duration.ofSeconds(2)));
        assertEquals("no JDBC driver installed for 'mysql'", noDriver.getMessage());
    }

    @Test
    void sourcePollsByIntegerAndByTimestampIndex() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, ts TIMESTAMP, v TEXT)",
                "INSERT INTO " + table + " VALUES (1, '2024-05-01 10:00:00', 'a'), (2, '2024-05-01 10:00:00.5', 'b')");
        RecordingContext byId = open(Map.of("url", Databases.POSTGRES_URL, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "id")));
        RecordingContext byTime = open(Map.of("url", Databases.POSTGRES_URL, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "ts", "indexFieldType", "DATETIME",
                        "indexValue", "2024-05-01 10:00:00")));
        Databases.execute(db, "INSERT INTO " + table + " VALUES (3, '2024-05-01 10:00:00.75', 'c')");
        Poll.until("all rows by id", () -> byId.values("v").equals(List.of("a", "b", "c")), () -> byId.records);
        Poll.until("rows after the time", () -> byTime.values("v").equals(List.of("b", "c")), () -> byTime.records);
        assertEquals("2024-05-01 10:00:00.75", byTime.state().get("indexValue"));
        assertEquals(1, pool.registry.list(true).size(), "one connection for one URL");
    }

    @Test
    void sinkInsertsUpdatesAndDeletes() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, v DOUBLE PRECISION)");
        Sink sink = new SqlSinkProvider().create(Map.of("url", Databases.POSTGRES_URL, "table", table,
                "rowkindField", "op", "keyField", "id"));
        sink.open(new RecordingContext(pool.registry, "rule1", Map.of()));
        closing.add(sink::close);
        pool.awaitStatus(pool.registry.list(true).get(0).id(), Status.CONNECTED, null);
        sink.collect(List.of(row("id", 1, "name", "a", "v", 1.0), row("id", 2, "name", "b", "v", 2.0),
                row("id", 3, "name", "c")));
        sink.collect(List.of(row("op", "update", "id", 1, "v", 10.0), row("op", "delete", "id", 2)));
        Exception refused = assertThrows(Exception.class, () -> sink.collect(List.of(row("id", 4, "name", "d"),
                row("id", 1, "name", "duplicate"))));
        assertTrue(refused.getMessage().startsWith("1 of 2 rows refused by table " + table + ": row 1: "),
                refused.getMessage());
        assertEquals(List.of(Map.of("id", 1, "name", "a", "v", 10.0), row("id", 3, "name", "c", "v", null),
                row("id", 4, "name", "d", "v", null)),
                Databases.query(db, "SELECT * FROM " + table + " ORDER BY id"));
    }

    private RecordingContext open(Map<String, Object> props) throws Exception {
        RecordingContext context = new RecordingContext(pool.registry, "rule-" + props.hashCode(), Map.of());
        Source source = new SqlSourceProvider().create(table, props);
        source.open(context);
        closing.add(source::close);
        return context;
    }

    private TcpProxy proxy() {
        TcpProxy proxy = new TcpProxy(5432);
        closing.add(proxy);
        return proxy;
    }

    private static String proxiedUrl(TcpProxy proxy) {
        return "postgres://postgres:s3cret@127.0.0.1:" + proxy.port() + "/test?sslmode=disable";
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
