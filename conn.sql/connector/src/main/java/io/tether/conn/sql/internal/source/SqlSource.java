package io.tether.conn.sql.internal.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.Status;
import io.tether.api.io.Acceptance;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.kit.NodeProps;
import io.tether.conn.sql.internal.connection.Failures;
import io.tether.conn.sql.internal.connection.SqlConnection;
import io.tether.conn.sql.internal.connection.SqlConnectorFactory;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * Polls a query every {@code interval} ms on a thread of its own and offers each row to the rule as a record. With an
 * index field, it remembers the greatest index value the rule <em>accepted</em> and asks only for rows after it: each
 * row is handed on once, across database outages (polls are skipped while the connection is down), platform restarts
 * and a rule too slow to take the rows (SPEC §7, "nothing accepted is lost").
 * <p>
 * A poll reads its rows, gives the JDBC connection back, then offers them in order, waiting for room in the rule. A
 * row the rule does not accept (it dropped it, or stopped) ends the poll: the next one reads again from the last
 * accepted row. The index is saved once per poll, after the offers, and when the source closes mid-poll: not per
 * row.
 */
final class SqlSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(SqlSource.class);
    static final String STATE_FIELD = "indexField";
    static final String STATE_VALUE = "indexValue";
    /**
     * The longest wait for room in the rule. Waiting costs nothing (the rows stay in the database and no connection
     * is held), and the wait ends at once when the rule stops or the source closes; a row not accepted by then is
     * read again at the next poll.
     */
    static final Duration OFFER_WAIT = Duration.ofHours(1);

    private final SourceConfig config;
    private SourceContext context;
    private ConnectionHandle handle;
    private ScheduledExecutorService poller;
    /** The greatest index value accepted; touched by the poller thread only (after open). */
    private IndexValue last;

    SqlSource(SourceConfig config) {
        this.config = config;
    }

    @Override
    public void open(SourceContext sourceContext) {
        context = sourceContext;
        last = restoredIndex();
        String key = NodeProps.usesNamedConnection(config.connectionProps()) ? ""
                : SqlSettings.anonymousKey(config.connectionProps());
        handle = context.pool().attach(context.ruleId(), key, SqlConnectorFactory.TYPE, config.connectionProps(),
                context.connectionStatusListener());
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tether-sql-source-" + context.ruleId() + "-" + context.operatorId());
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, config.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (handle != null) {
            handle.close();
        }
    }

    /** The index to start after: the saved one, unless the index field changed since; else the configured one. */
    private IndexValue restoredIndex() {
        IndexSpec index = config.query().index();
        if (index == null) {
            return null;
        }
        Map<String, Object> state = context.state();
        if (index.field().equals(state.get(STATE_FIELD)) && state.get(STATE_VALUE) != null) {
            try {
                return index.type().fromState(state.get(STATE_VALUE));
            } catch (IllegalArgumentException e) {
                LOG.warn("Rule {}: saved index of {} ignored: {}", context.ruleId(), index.field(), e.getMessage());
            }
        }
        return index.initial();
    }

    private void poll() {
        if (handle.status().status() != Status.CONNECTED) {
            return;
        }
        SqlConnection connection;
        try {
            connection = handle.as(SqlConnection.class);
        } catch (ConnectionPoolException notAvailable) {
            return;
        }
        List<Row> rows;
        try {
            rows = read(connection);
        } catch (SQLException e) {
            String reason = Failures.message(e, connection.password());
            if (Failures.isConnectionFailure(e)) {
                handle.reportFailure(reason);
            }
            context.reportError(new SQLException(reason, e.getSQLState()));
            return;
        } catch (RuntimeException e) {
            context.reportError(e);
            return;
        }
        try {
            offer(rows);
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Row> read(SqlConnection connection) throws SQLException {
        IndexSpec index = config.query().index();
        List<Row> read = new ArrayList<>();
        try (Connection sql = connection.borrow();
                PreparedStatement query = config.query().prepare(sql, last, connection.textDatetimes());
                ResultSet rows = query.executeQuery()) {
            RowReader reader = new RowReader(rows.getMetaData());
            String indexLabel = index == null ? null : reader.label(index.field());
            if (index != null && indexLabel == null) {
                throw new SQLException("the query's rows have no index field " + index.field());
            }
            while (rows.next() && !Thread.currentThread().isInterrupted()) {
                Map<String, Object> record = reader.read(rows);
                IndexValue value = index == null || record.get(indexLabel) == null ? null
                        : index.type().fromRow(record.get(indexLabel));
                read.add(new Row(record, value));
            }
        }
        return read;
    }

    /** Offers the rows in order until one is not accepted; then saves the index of the accepted ones, if it moved. */
    private void offer(List<Row> rows) throws InterruptedException {
        IndexValue before = last;
        try {
            for (Row row : rows) {
                if (context.offerRecord(row.record(), Map.of(), OFFER_WAIT) != Acceptance.ACCEPTED) {
                    return;
                }
                if (row.index() != null && row.index().isAfter(last)) {
                    last = row.index();
                }
            }
        } finally {
            if (last != before) {
                context.saveState(Map.of(STATE_FIELD, config.query().index().field(), STATE_VALUE, last.stored()));
            }
        }
    }

    /** A row read, with its index value ({@code null} without an index field, or when the row has none). */
    private record Row(Map<String, Object> record, IndexValue index) {
    }
}
