package io.tether.conn.sql.internal.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * One record as a statement: its SQL (identifiers only) and its parameter values.
 *
 * @param index the record's position in its emission, for reporting
 */
record RowStatement(int index, String sql, List<Object> values) {

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
