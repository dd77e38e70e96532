package io.tether.conn.sql.internal.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.conn.sql.internal.connection.Failures;
import io.tether.conn.sql.internal.connection.SqlConnection;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * Writes each emission to a table. A connection that is down fails the emission at once with an
 * {@link IOException} (an I/O failure: worth sending again); rows the database refuses fail it with a
 * {@link RowsRefusedException} after the others are written, and the sink goes on.
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
    public void collect(List<Map<String, Object>> records) throws IOException, RowsRefusedException {
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
            throw new IOException("sql connection " + handle.connectionId() + ": " + reason);
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

    private SqlConnection connected() throws IOException {
        ConnectionStatus status = handle.status();
        if (status.status() != Status.CONNECTED) {
            throw new IOException("sql connection " + handle.connectionId() + " is " + status.status().text()
                    + (status.err() == null ? "" : ": " + status.err()));
        }
        try {
            return handle.as(SqlConnection.class);
        } catch (ConnectionPoolException e) {
            throw new IOException(e.getMessage());
        }
    }
}
