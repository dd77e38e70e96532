package io.tether.conn.sql.internal;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.conn.sql.internal.connection.SqlPool;

/** A test against one of the machine's databases: a pool with its driver, and a table of the test's own. */
abstract class DatabaseTest {
    final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
    SqlPool pool;
    Connection db;
    String table;

    abstract DataSourceFactory driver();

    abstract Connection openDatabase() throws Exception;

    abstract String tablePrefix();

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        pool = new SqlPool().withDriver(driver());
        db = openDatabase();
        table = tablePrefix() + test.getTestMethod().orElseThrow().getName().toLowerCase();
        Databases.execute(db, "DROP TABLE IF EXISTS " + table);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : closing) {
            resource.close();
        }
        Databases.execute(db, "DROP TABLE IF EXISTS " + table);
        db.close();
        pool.close();
    }
}
