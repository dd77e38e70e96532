package io.tether.conn.sql.internal.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.conn.sql.internal.connection.Failures;
import io.tether.conn.sql.internal.connection.SqlConnection;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * Writes each emission to a table; the outcome is known when {@link #collect} returns, so the default
 * {@link Sink#send} reports it. Failures are {@link DeliveryException}s: retryable when nothing was written and
 * writing again may succeed (the connection is down, the pool or a statement timed out, a lost conflict, a database
 * short of resources or busy: see {@link Failures#isRetryable}); permanent when the database refuses the rows
 * ({@link RowsRefusedException}, after the others are written) or the statement. The sink goes on either way.
 */
final class SqlSink implements Sink {
    private final SinkConfig config;
    private ConnectionHandle handle;
    private final RowWriter writer;

    SqlSink(SinkConfig config) {
        this.config = config;
        this.writer = new RowWriter(new StatementPlanner(config));
    }

    @Override
    public void open(SinkContext context) {
        String key = config.connectionProps().containsKey(ConnectionPool.CONNECTION_SELECTOR) ? ""
                : SqlSettings.anonymousKey(config.connectionProps());
        handle = context.pool().attach(context.ruleId(), key, SqlConnectorFactory.TYPE, config.connectionProps(),
                context.connectionStatusListener());
    }

    @Override
    public void collect(List<Map<String, Object>> records) throws DeliveryException {
        if (records.isEmpty()) {
            return;
        }
        SqlConnection connection = connected();
        List<RefusedRow> refused;
        try (Connection sql = connection.borrow()) {
            refused = writer.write(sql, records, connection.password());
        } catch (SQLException e) {
            String reason = Failures.message(e, connection.password());
            if (Failures.isConnectionFailure(e)) {
                handle.reportFailure(reason);
            }
            String message = "sql connection " + handle.connectionId() + ": " + reason;
            // the driver's exception may quote the password: only the scrubbed reason goes on
            throw new DeliveryException(message, Failures.isRetryable(e), null);
        }
        if (!refused.isEmpty()) {
            throw new RowsRefusedException(config.table(), refused, records.size());
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            handle.close();
        }
    }

    private SqlConnection connected() throws DeliveryException {
        ConnectionStatus status = handle.status();
        if (status.status() != Status.CONNECTED) {
            throw DeliveryException.retryable("sql connection " + handle.connectionId() + " is "
                    + status.status().text() + (status.err() == null ? "" : ": " + status.err()), null);
        }
        try {
            return handle.as(SqlConnection.class);
        } catch (ConnectionPoolException e) {
            throw DeliveryException.retryable(e.getMessage(), null);
        }
    }
}
