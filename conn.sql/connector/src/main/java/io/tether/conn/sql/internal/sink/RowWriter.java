package io.tether.conn.sql.internal.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.conn.sql.internal.connection.Failures;

/**
 * Writes an emission in one transaction, consecutive statements with the same SQL as one JDBC batch. When the
 * database refuses something, the transaction is rolled back and the rows are written one by one, so that only the
 * refused ones are left out.
 */
final class RowWriter {
    private final StatementPlanner planner;

    RowWriter(StatementPlanner planner) {
        this.planner = planner;
    }

    /**
     * @param password the connection's password, scrubbed out of the database's messages
     * @return the records not written, with their reasons
     * @throws SQLException when the link fails: nothing of the emission is known to be written
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
            if (Failures.isConnectionFailure(e)) {
                throw e;
            }
            connection.setAutoCommit(true);
            writeOneByOne(connection, statements, refused, password);
            refused.sort(java.util.Comparator.comparingInt(RefusedRow::index));
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

    private static void writeOneByOne(Connection connection, List<RowStatement> statements,
            List<RefusedRow> refused, String password) throws SQLException {
        for (RowStatement row : statements) {
            try (PreparedStatement statement = connection.prepareStatement(row.sql())) {
                row.bind(statement);
                statement.executeUpdate();
            } catch (SQLException e) {
                if (Failures.isConnectionFailure(e)) {
                    throw e;
                }
                refused.add(new RefusedRow(row.index(), Failures.message(e, password)));
            }
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
