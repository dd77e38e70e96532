package io.tether.conn.sql.internal.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.tether.api.io.DeliveryException;
import io.tether.api.io.SinkContext;
import io.tether.api.kit.ConnectedSink;
import io.tether.conn.sql.internal.connection.Failures;
import io.tether.conn.sql.internal.connection.SqlConnection;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * Writes each emission to a table; the outcome is known when {@link #deliver} returns. Failures are
 * {@link DeliveryException}s: retryable when nothing was written and writing again may succeed (the connection is
 * down, the pool or a statement timed out, a lost conflict, a database short of resources or busy: see
 * {@link Failures#isRetryable}); permanent when the database refuses the rows ({@link RowsRefusedException}, after
 * the others are written) or the statement. The sink goes on either way.
 */
final class SqlSink extends ConnectedSink<SqlConnection> {
    private final SinkConfig config;
    private final RowWriter writer;

    SqlSink(SinkConfig config) {
        super(SqlConnectorFactory.TYPE, SqlConnection.class, config.connectionProps());
        this.config = config;
        this.writer = new RowWriter(new StatementPlanner(config));
    }

    /** The database URL: every rule writing to one database shares its pool (SPEC §1). */
    @Override
    protected String anonymousKey(SinkContext context) {
        return SqlSettings.anonymousKey(config.connectionProps());
    }

    /** An empty emission writes nothing: it is done, connected or not. */
    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        return records.isEmpty() ? CompletableFuture.completedFuture(null) : super.send(records);
    }

    @Override
    protected CompletionStage<Void> deliver(SqlConnection connection, List<Map<String, Object>> records)
            throws DeliveryException {
        List<RefusedRow> refused;
        try (Connection sql = connection.borrow()) {
            refused = writer.write(sql, records, connection.password());
        } catch (SQLException e) {
            String reason = Failures.message(e, connection.password());
            if (Failures.isConnectionFailure(e)) {
                handle().reportFailure(reason);
            }
            String message = "sql connection " + handle().connectionId() + ": " + reason;
            // the driver's exception may quote the password: only the scrubbed reason goes on
            throw new DeliveryException(message, Failures.isRetryable(e), null);
        }
        if (!refused.isEmpty()) {
            throw new RowsRefusedException(config.table(), refused, records.size());
        }
        return CompletableFuture.completedFuture(null);
    }
}
