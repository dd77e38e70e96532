package io.tether.conn.sql.internal.connection;

import java.net.URL;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.osgi.framework.Constants;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SourceProvider;
import io.tether.conn.sql.internal.Databases;
import io.tether.conn.sql.internal.source.SqlSourceProvider;
import io.tether.testkit.ConnectorContract;

/** The connector contract, against the machine's PostgreSQL (its trust login takes any password). */
class SqlConnectorContractTest extends ConnectorContract {
    private static final String TABLE = "contract_rows";
    private static final AtomicLong SERVICE_IDS = new AtomicLong();
    private static Connection db;

    @BeforeAll
    static void createTable() throws Exception {
        db = Databases.postgres();
        Databases.execute(db, "DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (id SERIAL PRIMARY KEY, v TEXT)");
    }

    @AfterAll
    static void dropTable() throws Exception {
        Databases.execute(db, "DROP TABLE IF EXISTS " + TABLE);
        db.close();
    }

    @Override
    protected String type() {
        return SqlConnectorFactory.TYPE;
    }

    @Override
    protected ConnectorFactory factory() {
        SqlConnectorFactory factory = new SqlConnectorFactory();
        factory.addDriver(Databases.postgresDriver(), Map.of(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet()));
        return factory;
    }

    @Override
    protected URL schema() {
        return getClass().getResource("/" + SqlConnectorFactory.SCHEMA);
    }

    @Override
    protected int peerPort() {
        return 5432;
    }

    @Override
    protected Map<String, Object> props(int port) {
        return Map.of("dburl", "postgres://postgres:" + secret() + "@127.0.0.1:" + port + "/test?sslmode=disable");
    }

    @Override
    protected String secret() {
        return "contract-s3cret";
    }

    @Override
    protected Map<String, Object> invalid(Map<String, Object> props) {
        Map<String, Object> invalid = new HashMap<>(props);
        invalid.put("dburl", String.valueOf(props.get("dburl")).replace("postgres://", "nosuchdb://"));
        return invalid;
    }

    @Override
    protected SourceProvider sourceProvider() {
        return new SqlSourceProvider();
    }

    @Override
    protected String datasource() {
        return TABLE;
    }

    @Override
    protected Map<String, Object> sourceProps() {
        return Map.of("interval", 50, "internalSqlQueryCfg", Map.of("indexField", "id"));
    }

    @Override
    protected void produce(String marker) throws Exception {
        Databases.execute(db, "INSERT INTO " + TABLE + " (v) VALUES ('" + marker + "')");
    }
}
