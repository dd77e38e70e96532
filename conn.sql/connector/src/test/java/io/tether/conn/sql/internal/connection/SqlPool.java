package io.tether.conn.sql.internal.connection;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Constants;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.testkit.TestPool;

/** The testkit's pool with the sql connector in it, and its drivers as a test adds them. */
public final class SqlPool implements AutoCloseable {
    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    public final SqlConnectorFactory factory = new SqlConnectorFactory();
    public final TestPool connections;

    /** On the testkit's fast timings. */
    public SqlPool() {
        this(TestPool.builder());
    }

    public SqlPool(TestPool.Builder timings) {
        connections = timings.build().addType(SqlConnectorFactory.TYPE, factory,
                SqlPool.class.getResource("/" + SqlConnectorFactory.SCHEMA));
    }

    public SqlPool withDriver(DataSourceFactory driver) {
        factory.addDriver(driver, Map.of(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet()));
        return this;
    }

    public void removeDriver(DataSourceFactory driver) {
        factory.removeDriver(driver);
    }

    /** Waits until the connection reports the state, with an error that starts with {@code err} (if not null). */
    public ConnectionInfo awaitStatus(String id, Status state, String err) {
        return connections.awaitStatus(id, state, err);
    }

    @Override
    public void close() {
        connections.close();
    }
}
