package io.tether.conn.sql.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.Acceptance;
import io.tether.api.io.Source;
import io.tether.conn.sql.internal.Databases;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.conn.sql.internal.connection.SqlPool;
import io.tether.conn.sql.internal.SavedIndexes;

/**
 * The sql source on SQLite files: incremental polling by integer and by date-time, state saved after acceptance,
 * outages. Hermetic.
 */
class SqlSourceTest {
    private final SqlSourceProvider provider = new SqlSourceProvider();
    private final DataSourceFactory driver = Databases.sqliteDriver();
    private SqlPool pool;
    private Path file;
    private Connection db;
    private Source source;

    @BeforeEach
    void setUp() throws Exception {
        pool = new SqlPool().withDriver(driver);
        file = Databases.sqliteFile("source-" + System.nanoTime());
        db = Databases.sqlite(file);
        Databases.execute(db, "CREATE TABLE readings (id INTEGER PRIMARY KEY, ts TEXT, temperature REAL)");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (source != null) {
            source.close();
        }
        db.close();
        pool.close();
    }

    @Test
    void pollsByIntegerIndexEmittingEachRowOnceAndResumingFromTheSavedIndex() throws Exception {
        insert(1, 2, 3);
        Map<String, Object> props = Map.of("url", "sqlite:" + file, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "id", "indexValue", 1, "limit", 2));
        RecordingSourceContext context = open(props, Map.of());
        awaitIds(context, List.of(2L, 3L));
        insert(4, 5, 6);
        awaitIds(context, List.of(2L, 3L, 4L, 5L, 6L));
        assertEquals(Map.of("indexField", "id", "indexValue", 6L), context.state());
        assertTrue(context.errors.isEmpty(), context.errors::toString);

        // a restart with the saved state: only the rows written since
        source.close();
        insert(7);
        RecordingSourceContext restarted = open(props, context.state());
        awaitIds(restarted, List.of(7L));
    }

    @Test
    void pollsByDateTimeIndexKeptAsTextBySqlite() throws Exception {
        Databases.execute(db, "INSERT INTO readings VALUES (1, '2024-05-01 10:00:00', 20.5)",
                "INSERT INTO readings VALUES (2, '2024-05-01 10:00:01.250', 21)");
        RecordingSourceContext context = open(Map.of("url", "sqlite:" + file, "interval", 20,
                "internalSqlQueryCfg", Map.of("table", "readings", "indexField", "ts", "indexFieldType", "DATETIME",
                        "dateTimeFormat", "YYYY-MM-dd HH:mm:ss", "indexValue", "2024-05-01 09:59:59")), Map.of());
        awaitIds(context, List.of(1L, 2L));
        Databases.execute(db, "INSERT INTO readings VALUES (3, '2024-05-01 10:00:01.500', 22)");
        awaitIds(context, List.of(1L, 2L, 3L));
        assertEquals("2024-05-01 10:00:01.500", context.state().get("indexValue"));
    }

    @Test
    void templateQueriesBindTheIndexAsAParameter() throws Exception {
        insert(1, 2, 3);
        RecordingSourceContext context = open(Map.of("url", "sqlite:" + file, "interval", 20,
                "templateSqlQueryCfg", Map.of("TemplateSql",
                        "SELECT id, temperature FROM readings WHERE id > {{.id}} ORDER BY id DESC LIMIT 1",
                        "indexField", "id", "indexValue", 1)), Map.of());
        awaitIds(context, List.of(3L));
        insert(4);
        awaitIds(context, List.of(3L, 4L));
    }

    @Test
    void whileTheConnectionIsDownPollsAreSkippedAndReadingResumesAfterTheLastIndex() throws Exception {
        insert(1);
        RecordingSourceContext context = open(Map.of("url", "sqlite:" + file, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "id")), Map.of());
        awaitIds(context, List.of(1L));
        String id = pool.connections.list(true).get(0).id();
        pool.removeDriver(driver);
        Poll.until("the connection is down", () -> pool.connections.get(id).orElseThrow().status().status()
                != Status.CONNECTED, () -> pool.connections.get(id));
        insert(2, 3);
        pool.withDriver(Databases.sqliteDriver());
        awaitIds(context, List.of(1L, 2L, 3L));
    }

    @Test
    void sourceFeedingASlowRuleThatDropsSomeRowsSkipsNoneAndSavesTheIndexOncePerPollAfterAcceptance()
            throws Exception {
        insert(LongStream.rangeClosed(1, 40).mapToInt(id -> (int) id).toArray());
        Set<Object> refusedOnce = ConcurrentHashMap.newKeySet();
        RecordingSourceContext context = new RecordingSourceContext(pool.connections, "rule1", "op").acceptingRecords(record -> {
            Thread.sleep(1); // a slow sink behind the rule's buffer
            long id = ((Number) record.get("id")).longValue();
            if (id % 7 == 0 && refusedOnce.add(id)) {
                return Acceptance.DROPPED; // its buffer was full
            }
            if (id % 11 == 0 && refusedOnce.add(id)) {
                return Acceptance.CLOSED; // it was being updated
            }
            return Acceptance.ACCEPTED;
        });
        open(Map.of("url", "sqlite:" + file, "interval", 20, "internalSqlQueryCfg", Map.of("indexField", "id")),
                context);

        awaitIds(context, LongStream.rangeClosed(1, 40).boxed().toList());
        Poll.until("the last index saved", () -> Long.valueOf(40).equals(context.state().get("indexValue")),
                context::state);
        SavedIndexes.assertEachSaveIsTheLastAcceptedIndex(context, "id");
        // 8 rows refused once: each ended its poll (nothing after it offered), and was offered again by the next
        assertEquals(40 + 8, context.offered.size());
        assertTrue(context.saves.size() <= 9, "one save per poll, not per row: " + context.saves);
        assertTrue(context.errors.isEmpty(), context.errors::toString);
    }

    @Test
    void aSourceClosedWhileItsRuleIsBusySavesWhatWasAcceptedAndResumesAtTheFirstRowNotAccepted() throws Exception {
        insert(1, 2, 3, 4, 5);
        CountDownLatch never = new CountDownLatch(1);
        RecordingSourceContext context = new RecordingSourceContext(pool.connections, "rule1", "op").acceptingRecords(record -> {
            if (((Number) record.get("id")).longValue() == 3) {
                never.await(); // a rule that has no room until the source closes
            }
            return Acceptance.ACCEPTED;
        });
        Map<String, Object> props = Map.of("url", "sqlite:" + file, "interval", 20,
                "internalSqlQueryCfg", Map.of("indexField", "id"));
        open(props, context);
        Poll.until("row 3 offered", () -> context.offered.size() == 3, () -> context.offered);
        assertEquals(List.of(), context.saves, "nothing saved in the middle of a poll");

        source.close();
        assertEquals(List.of(new RecordingSourceContext.Saved(Map.of("indexField", "id", "indexValue", 2L), 2)),
                context.saves);
        RecordingSourceContext restarted = open(props, context.state());
        awaitIds(restarted, List.of(3L, 4L, 5L));
    }

    @Test
    void badConfigurationsAreNamed() {
        List<PropError> problems = provider.validate("readings", Map.of("url", "sqlite:/x.db", "interval", -1,
                "internalSqlQueryCfg", Map.of("indexField", "bad name", "limit", "x")));
        assertEquals(List.of("interval", "internalSqlQueryCfg.limit", "internalSqlQueryCfg.indexField"),
                problems.stream().map(PropError::prop).toList());
        assertEquals("placeholder {{.other}} is not the indexField 'id'", provider.validate("t", Map.of(
                "connectionSelector", "db", "templateSqlQueryCfg", Map.of("TemplateSql",
                        "SELECT * FROM t WHERE x > {{.other}}", "indexField", "id", "indexValue", 0)))
                .get(0).message());
        assertEquals("internalSqlQueryCfg.table", provider.validate("a;drop", Map.of("connectionSelector", "db"))
                .get(0).prop());
        assertEquals("internalSqlQueryCfg.indexValue", provider.validate("t", Map.of("connectionSelector", "db",
                "internalSqlQueryCfg", Map.of("indexField", "ts", "indexFieldType", "DATETIME",
                        "indexValue", "yesterday"))).get(0).prop());
        assertEquals(List.of(), provider.validate("t", Map.of("connectionSelector", "db")));
    }

    private RecordingSourceContext open(Map<String, Object> props, Map<String, Object> state) throws Exception {
        return open(props, new RecordingSourceContext(pool.connections, "rule1", "op").withState(state));
    }

    private RecordingSourceContext open(Map<String, Object> props, RecordingSourceContext context) throws Exception {
        assertEquals(List.of(), provider.validate("readings", props));
        source = provider.create("readings", props);
        source.open(context);
        return context;
    }

    private void insert(int... ids) throws Exception {
        for (int id : ids) {
            Databases.execute(db, "INSERT INTO readings VALUES (" + id + ", '2024-01-01 00:00:0" + (id % 10)
                    + "', " + (20 + id) + ")");
        }
    }

    private static void awaitIds(RecordingSourceContext context, List<Long> ids) {
        Poll.until("ids " + ids, () -> context.values("id").stream().map(v -> ((Number) v).longValue()).toList()
                .equals(ids), () -> context.values("id") + " errors " + context.errors);
    }
}
