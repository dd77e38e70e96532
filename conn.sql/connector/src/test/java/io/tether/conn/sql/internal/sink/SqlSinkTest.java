package io.tether.conn.sql.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.conn.sql.internal.Databases;
import io.tether.testkit.Poll;
import io.tether.conn.sql.internal.connection.SqlPool;
import io.tether.testkit.RecordingSinkContext;

/**
 * The sql sink on SQLite files: inserts, updates, deletes, refused rows, and the outcome of an emission (permanent
 * or retryable) when rows are refused, the connection is down or the database is locked. Hermetic.
 */
class SqlSinkTest {
    private final SqlSinkProvider provider = new SqlSinkProvider();
    private final DataSourceFactory driver = Databases.sqliteDriver();
    private SqlPool pool;
    private Path file;
    private Connection db;
    private Sink sink;

    @BeforeEach
    void setUp() throws Exception {
        pool = new SqlPool().withDriver(driver);
        file = Databases.sqliteFile("sink-" + System.nanoTime());
        db = Databases.sqlite(file);
        Databases.execute(db, "CREATE TABLE devices (id INTEGER PRIMARY KEY, name TEXT NOT NULL, temperature REAL)");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sink != null) {
            sink.close();
        }
        db.close();
        pool.close();
    }

    @Test
    void insertsEachRecordsKeysAsColumns() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices"));
        sink.collect(List.of(row("id", 1, "name", "a", "temperature", 20.5), row("id", 2, "name", "b")));
        assertEquals(List.of(Map.of("id", 1, "name", "a", "temperature", 20.5), nullTemperature(2, "b")),
                Databases.query(db, "SELECT * FROM devices ORDER BY id"));
    }

    @Test
    void writesOnlyTheConfiguredFields() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices", "fields", List.of("id", "name")));
        sink.collect(List.of(row("id", 1, "name", "a", "temperature", 20.5, "ignored", true)));
        assertEquals(List.of(nullTemperature(1, "a")), Databases.query(db, "SELECT * FROM devices"));
    }

    @Test
    void rowkindFieldUpdatesAndDeletesByKey() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices", "rowkindField", "action", "keyField", "id"));
        sink.collect(List.of(row("action", "insert", "id", 1, "name", "a"), row("id", 2, "name", "b"),
                row("id", 3, "name", "c")));
        sink.collect(List.of(row("action", "update", "id", 1, "name", "A", "temperature", 1.5),
                row("action", "delete", "id", 2)));
        assertEquals(List.of(Map.of("id", 1, "name", "A", "temperature", 1.5), nullTemperature(3, "c")),
                Databases.query(db, "SELECT * FROM devices ORDER BY id"));
    }

    @Test
    void refusedRowsAreReportedWithTheirErrorsAndTheOthersWritten() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices"));
        RowsRefusedException refused = assertThrows(RowsRefusedException.class, () -> sink.collect(List.of(
                row("id", 1, "name", "a"), row("id", 2), row("id", 3, "name", "c"), row("id", 1, "name", "dup"),
                row("id", 4, "bad column", "x"))));
        assertEquals(List.of(1, 3, 4), refused.refusedIndexes());
        assertTrue(refused.getMessage().startsWith("3 of 5 rows refused by table devices: row 1: "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("NOT NULL"), refused.getMessage());
        assertEquals(List.of(1, 3), Databases.query(db, "SELECT id FROM devices ORDER BY id").stream()
                .map(r -> r.get("id")).toList());
        // the sink goes on
        sink.collect(List.of(row("id", 5, "name", "e")));
        assertEquals(3, Databases.query(db, "SELECT id FROM devices").size());
    }

    @Test
    void aConstraintViolationIsAPermanentFailure() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices"));
        sink.collect(List.of(row("id", 1, "name", "a")));
        DeliveryException refused = failure(sink.send(List.of(row("id", 1, "name", "duplicate"))));
        assertFalse(refused.isRetryable(), refused::toString);
        assertInstanceOf(RowsRefusedException.class, refused);
        assertTrue(refused.getMessage().contains("UNIQUE"), refused.getMessage());
    }

    @Test
    void aConnectionThatIsDownFailsTheEmissionAtOnceAsRetryable() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices"));
        String id = pool.connections.list(true).get(0).id();
        pool.removeDriver(driver);
        Poll.until("the connection is down", () -> pool.connections.get(id).orElseThrow().status().status()
                != Status.CONNECTED, () -> pool.connections.get(id));
        DeliveryException down = failure(sink.send(List.of(row("id", 1, "name", "a"))));
        assertTrue(down.isRetryable(), down::toString);
        assertTrue(down.getMessage().startsWith("sql connection " + id + " is "), down.getMessage());
    }

    @Test
    void aLockedDatabaseIsARetryableFailureThatWritesNothingAndTheNextSendWritesAll() throws Exception {
        open(Map.of("url", "sqlite:" + file, "table", "devices"));
        sink.collect(List.of(row("id", 0, "name", "before"))); // the pool holds a connection: the write meets the lock
        List<Map<String, Object>> emission = List.of(row("id", 1, "name", "a"), row("id", 2, "name", "b"));
        Databases.execute(db, "BEGIN EXCLUSIVE");
        DeliveryException busy;
        try {
            busy = failure(sink.send(emission));
        } finally {
            Databases.execute(db, "COMMIT");
        }
        assertTrue(busy.isRetryable(), busy::toString);
        assertTrue(busy.getMessage().contains("SQLITE_BUSY"), busy.getMessage());

        // the failed write made the pool ping the database, which met the lock too: the send after waits for it
        String id = pool.connections.list(true).get(0).id();
        Poll.until("the connection is up again", () -> pool.connections.get(id).orElseThrow().status().status()
                == Status.CONNECTED, () -> pool.connections.get(id));
        sink.send(emission).toCompletableFuture().get();
        assertEquals(List.of(0, 1, 2), Databases.query(db, "SELECT id FROM devices ORDER BY id").stream()
                .map(r -> r.get("id")).toList());
    }

    @Test
    void badConfigurationsAreNamed() {
        List<PropError> problems = provider.validate(Map.of("url", "sqlite:/x.db", "table", "t; drop",
                "fields", List.of("ok", "not ok"), "rowkindField", "action"));
        assertEquals(List.of("table", "keyField", "fields"), problems.stream().map(PropError::prop).toList());
        assertEquals("url", provider.validate(Map.of("table", "t")).get(0).prop());
    }

    private void open(Map<String, Object> props) throws Exception {
        assertEquals(List.of(), provider.validate(props));
        sink = provider.create(props);
        sink.open(new RecordingSinkContext(pool.connections, "rule1", "op", false));
        String id = pool.connections.list(true).get(0).id();
        pool.awaitStatus(id, Status.CONNECTED, null);
    }

    /** The failure of a sent emission: the sink knows its outcome when send returns. */
    static DeliveryException failure(CompletionStage<Void> sent) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> sent.toCompletableFuture().get());
        return assertInstanceOf(DeliveryException.class, failed.getCause());
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    private static Map<String, Object> nullTemperature(int id, String name) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("temperature", null);
        return row;
    }
}
