package io.tether.conn.sql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.Status;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;
import io.tether.conn.sql.internal.sink.SqlSinkProvider;
import io.tether.conn.sql.internal.source.SqlSourceProvider;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.Poll;
import io.tether.testkit.TcpProxy;

/** Against the machine's MariaDB (127.0.0.1:3306, root, database test), each test on a table of its own. */
@Tag("mariadb")
class MariaDbTest extends DatabaseTest {

    @Override
    DataSourceFactory driver() {
        return Databases.mariadbDriver();
    }

    @Override
    Connection openDatabase() throws Exception {
        return Databases.mariadb();
    }

    @Override
    String tablePrefix() {
        return "tether_my_";
    }

    @Test
    void namedConnectionConnectsAndAnUnreachableOneSaysWhy() throws Exception {
        pool.connections.create("maria", "sql", Map.of("dburl", Databases.MARIADB_URL));
        pool.awaitStatus("maria", Status.CONNECTED, null);
        try (TcpProxy proxy = new TcpProxy(3306)) {
            proxy.cut();
            pool.connections.create("away", "sql", Map.of("dburl", "mysql://root@127.0.0.1:" + proxy.port() + "/test"));
            String err = pool.awaitStatus("away", Status.DISCONNECTED, "").status().err();
            assertTrue(err.contains("127.0.0.1:" + proxy.port()), err);
            proxy.restore();
            pool.awaitStatus("away", Status.CONNECTED, null);
        }
    }

    @Test
    void badCredentialsStopRetrying() throws InterruptedException {
        pool.connections.create("denied", "sql", Map.of("dburl", "mysql://root:wrong@127.0.0.1:3306/test"));
        String err = pool.awaitStatus("denied", Status.DISCONNECTED, "").status().err();
        assertTrue(err.contains("Access denied") && !err.contains("wrong"), err);
        long lastTry = pool.connections.get("denied").orElseThrow().status().lastTry();
        Thread.sleep(500); // several backoff steps of the test pool: no attempt may follow
        assertEquals(lastTry, pool.connections.get("denied").orElseThrow().status().lastTry());
    }

    @Test
    void sourcePollsByDateTimeIndex() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INT PRIMARY KEY, ts DATETIME(3), v VARCHAR(10))",
                "INSERT INTO " + table + " VALUES (1, '2024-05-01 10:00:00', 'a'), (2, '2024-05-01 10:00:01.5', 'b')");
        RecordingSourceContext context = new RecordingSourceContext(pool.connections, "rule1", "op");
        Source source = new SqlSourceProvider().create(table, Map.of("url", Databases.MARIADB_URL, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "ts", "indexFieldType", "DATETIME", "limit", 10,
                        "indexValue", "2024-05-01 10:00:00")));
        source.open(context);
        closing.add(source::close);
        Poll.until("the row after the index", () -> context.values("v").equals(List.of("b")), () -> context.records);
        Databases.execute(db, "INSERT INTO " + table + " VALUES (3, '2024-05-01 10:00:01.75', 'c')");
        Poll.until("the new row", () -> context.values("v").equals(List.of("b", "c")), () -> context.records);
    }

    @Test
    void sinkInsertsUpdatesDeletesAndReportsRefusedRows() throws Exception {
        Databases.execute(db, "CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL)");
        Sink sink = new SqlSinkProvider().create(Map.of("url", Databases.MARIADB_URL, "table", table,
                "rowkindField", "op", "keyField", "id"));
        sink.open(new RecordingSinkContext(pool.connections, "rule1", "op", false));
        closing.add(sink::close);
        pool.awaitStatus(pool.connections.list(true).get(0).id(), Status.CONNECTED, null);
        sink.collect(List.of(row("id", 1, "name", "a"), row("id", 2, "name", "b")));
        sink.collect(List.of(row("op", "update", "id", 1, "name", "A"), row("op", "delete", "id", 2)));
        Exception refused = assertThrows(Exception.class, () -> sink.collect(List.of(row("id", 3, "name", "c"),
                row("id", 4, "name", "far too long a name"))));
        assertTrue(refused.getMessage().startsWith("1 of 2 rows refused"), refused.getMessage());
        assertEquals(List.of(Map.of("id", 1, "name", "A"), Map.of("id", 3, "name", "c")),
                Databases.query(db, "SELECT * FROM " + table + " ORDER BY id"));
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
