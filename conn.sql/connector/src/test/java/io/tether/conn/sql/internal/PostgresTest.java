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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.io.Acceptance;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.conn.sql.internal.sink.SqlSinkProvider;
import io.tether.conn.sql.internal.source.SqlSourceProvider;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.Poll;
import io.tether.testkit.TcpProxy;

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
        ConnectionInfo created = pool.connections.create("pg", "sql",
                Map.of("dburl", "postgres://postgres:s3cret@127.0.0.1:5432/test?sslmode=disable"));
        assertEquals("postgres://postgres:******@127.0.0.1:5432/test?sslmode=disable", created.props().get("dburl"));
        pool.awaitStatus("pg", Status.CONNECTED, null);
    }

    @Test
    void unreachableAtCreateIsDisconnectedWithTheDriversMessageThenConnectsWhenTheDatabaseAppears()
            throws Exception {
        TcpProxy proxy = proxy();
        pool.connections.create("late", "sql", Map.of("dburl", proxiedUrl(proxy)));
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
        pool.connections.create("flaky", "sql", Map.of("dburl", proxiedUrl(proxy)));
        pool.awaitStatus("flaky", Status.CONNECTED, null);
        List<ConnectionStatus> told = new CopyOnWriteArrayList<>();
        ConnectionHandle handle = pool.connections.attach("rule1", "k", "sql", Map.of("connectionSelector", "flaky"),
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
        RecordingSourceContext byId = open(Map.of("url", Databases.POSTGRES_URL, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "id")));
        RecordingSourceContext byTime = open(Map.of("url", Databases.POSTGRES_URL, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "ts", "indexFieldType", "DATETIME",
                        "indexValue", "2024-05-01 10:00:00")));
        Databases.execute(db, "INSERT INTO " + table + " VALUES (3, '2024-05-01 10:00:00.75', 'c')");
        Poll.until("all rows by id", () -> byId.values("v").equals(List.of("a", "b", "c")), () -> byId.records);
        Poll.until("rows after the time", () -> byTime.values("v").equals(List.of("b", "c")), () -> byTime.records);
        assertEquals("2024-05-01 10:00:00.75", byTime.state().get("indexValue"));
        assertEquals(1, pool.connections.list(true).size(), "one connection for one URL");
    }

    @Test
    void sinkInsertsUpdatesAndDeletes() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, v DOUBLE PRECISION)");
        Sink sink = new SqlSinkProvider().create(Map.of("url", Databases.POSTGRES_URL, "table", table,
                "rowkindField", "op", "keyField", "id"));
        sink.open(new RecordingSinkContext(pool.connections, "rule1", "op", false));
        closing.add(sink::close);
        pool.awaitStatus(pool.connections.list(true).get(0).id(), Status.CONNECTED, null);
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

    @Test
    void sourceFeedingASlowRuleThatDropsSomeRowsSkipsNoneAndSavesTheIndexOncePerPollAfterAcceptance()
            throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT)",
                "INSERT INTO " + table + " SELECT g, 'v' || g FROM generate_series(1, 30) g");
        Set<Long> droppedOnce = ConcurrentHashMap.newKeySet();
        RecordingSourceContext context = new RecordingSourceContext(pool.connections, "rule1", "op").acceptingRecords(record -> {
            Thread.sleep(1); // a slow sink behind the rule's buffer
            long id = ((Number) record.get("id")).longValue();
            return id % 4 == 0 && droppedOnce.add(id) ? Acceptance.DROPPED : Acceptance.ACCEPTED;
        });
        open(Map.of("url", Databases.POSTGRES_URL, "interval", 20, "internalSqlQueryCfg", Map.of("indexField", "id")),
                context);
        List<Long> all = LongStream.rangeClosed(1, 30).boxed().toList();
        Poll.until("every row once, in order", () -> context.values("id").equals(all), () -> context.values("id"));
        Poll.until("the last index saved", () -> Long.valueOf(30).equals(context.state().get("indexValue")),
                context::state);
        SavedIndexes.assertEachSaveIsTheLastAcceptedIndex(context, "id");
        assertEquals(30 + 7, context.offered.size(), "each dropped row ends its poll and is offered again");
        assertTrue(context.saves.size() <= 8, "one save per poll, not per row: " + context.saves);
    }

    @Test
    void sinkReportsAConstraintViolationAsPermanent() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        Sink sink = openSink(Databases.POSTGRES_URL);
        sink.collect(List.of(row("id", 1, "name", "a")));
        DeliveryException refused = failure(sink, List.of(row("id", 1, "name", "duplicate")));
        assertFalse(refused.isRetryable(), refused::toString);
        assertTrue(refused.getMessage().contains("duplicate key"), refused.getMessage());
    }

    @Test
    void sinkReportsADatabaseThatWentAwayAsRetryableWithoutThePasswordAndWritesOnceItIsBack() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        TcpProxy proxy = proxy();
        proxy.restore();
        Sink sink = openSink(proxiedUrl(proxy));
        sink.collect(List.of(row("id", 1, "name", "a")));

        proxy.cut();
        List<Map<String, Object>> emission = List.of(row("id", 2, "name", "b"), row("id", 3, "name", "c"));
        DeliveryException down = failure(sink, emission);
        assertTrue(down.isRetryable(), down::toString);
        assertFalse(down.getMessage().contains("s3cret"), down.getMessage());

        proxy.restore();
        Poll.await("the emission written once the database is back", Poll.PATIENCE, () -> {
            try {
                sink.send(emission).toCompletableFuture().get();
                return Boolean.TRUE;
            } catch (ExecutionException e) {
                assertTrue(((DeliveryException) e.getCause()).isRetryable(), e::toString);
                return null;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, () -> pool.connections.list(true));
        assertEquals(List.of(1, 2, 3), Databases.query(db, "SELECT id FROM " + table + " ORDER BY id").stream()
                .map(r -> r.get("id")).toList());
    }

    private Sink openSink(String url) throws Exception {
        Sink sink = new SqlSinkProvider().create(Map.of("url", url, "table", table));
        sink.open(new RecordingSinkContext(pool.connections, "rule1", "op", false));
        closing.add(sink::close);
        pool.awaitStatus(pool.connections.list(true).get(0).id(), Status.CONNECTED, null);
        return sink;
    }

    private static DeliveryException failure(Sink sink, List<Map<String, Object>> emission) throws Exception {
        try {
            sink.send(emission).toCompletableFuture().get();
        } catch (ExecutionException e) {
            return (DeliveryException) e.getCause();
        }
        throw new AssertionError("the emission was written: " + emission);
    }

    private RecordingSourceContext open(Map<String, Object> props) throws Exception {
        return open(props, new RecordingSourceContext(pool.connections, "rule-" + props.hashCode(), "op"));
    }

    private RecordingSourceContext open(Map<String, Object> props, RecordingSourceContext context) throws Exception {
        Source source = new SqlSourceProvider().create(table, props);
        source.open(context);
        closing.add(source::close);
        return context;
    }

    /** A proxy to the database, cut until the test restores it. */
    private TcpProxy proxy() {
        TcpProxy proxy = new TcpProxy(5432);
        proxy.cut();
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
