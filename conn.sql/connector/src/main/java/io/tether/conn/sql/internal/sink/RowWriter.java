package io.tether.conn.sql.internal.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tether.conn.sql.internal.connection.Failures;

/**
 * Writes an emission in one transaction, consecutive statements with the same SQL as one JDBC batch. When the
 * database refuses something, the transaction is rolled back and the rows are written again one by one in a new
 * transaction, each behind a savepoint, so that only the refused ones are left out. A failure worth retrying (the
 * link, a time-out, a lost conflict, a busy database) rolls everything back: nothing of the emission is written, and
 * sending it again writes it exactly once.
 */
final class RowWriter {
    private final StatementPlanner planner;

    RowWriter(StatementPlanner planner) {
        this.planner = planner;
    }

    /**
     * @param password the connection's password, scrubbed out of the database's messages
     * @return the records not written, with their reasons
     * @throws SQLException a failure {@linkplain Failures#isRetryable worth retrying}, or of the transaction itself:
     *                      nothing of the emission is written
     */
    List<RefusedRow> write(Connection connection, List<Map<String, Object>> records, String password)
            throws SQLException {
        List<RefusedRow> refused = new ArrayList<>();
        List<RowStatement> statements = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            try {
                statements.add(planner.plan(index, records.get(index)));
            } catch (IllegalArgumentException e) {
                refused.add(new RefusedRow(index, e.getMessage()));
            }
        }
        connection.setAutoCommit(false);
        try {
            writeBatches(connection, statements);
            connection.commit();
        } catch (SQLException e) {
            rollback(connection);
            if (Failures.isRetryable(e)) {
                throw e;
            }
            try {
                writeOneByOne(connection, statements, refused, password);
                connection.commit();
            } catch (SQLException failure) {
                rollback(connection);
                throw failure;
            }
            refused.sort(Comparator.comparingInt(RefusedRow::index));
        }
        return refused;
    }

    private static void writeBatches(Connection connection, List<RowStatement> statements) throws SQLException {
        int start = 0;
        while (start < statements.size()) {
            String sql = statements.get(start).sql();
            int end = start;
            try (PreparedStatement batch = connection.prepareStatement(sql)) {
                while (end < statements.size() && statements.get(end).sql().equals(sql)) {
                    statements.get(end++).bind(batch);
                    batch.addBatch();
                }
                batch.executeBatch();
            }
            start = end;
        }
    }

    /** @throws SQLException a failure worth retrying: the caller rolls the transaction back */
    private static void writeOneByOne(Connection connection, List<RowStatement> statements,
            List<RefusedRow> refused, String password) throws SQLException {
        for (RowStatement row : statements) {
            Savepoint before = connection.setSavepoint();
            try (PreparedStatement statement = connection.prepareStatement(row.sql())) {
                row.bind(statement);
                statement.executeUpdate();
            } catch (SQLException e) {
                if (Failures.isRetryable(e)) {
                    throw e;
                }
                connection.rollback(before);
                refused.add(new RefusedRow(row.index(), Failures.message(e, password)));
                continue;
            }
            connection.releaseSavepoint(before);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the link is gone: the caller sees the original failure
        }
    }
}
