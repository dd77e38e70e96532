package io.tether.conn.sql.internal.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * eKuiper's {@code internalSqlQueryCfg}: the rows of a table after the last index value, in index order, at most
 * {@code limit} (0: no limit) at a time. The table and field are validated identifiers; values are parameters.
 */
final class TableQuery implements SourceQuery {
    private final IndexSpec index;
    private final long limit;
    private final String first;
    private final String next;

    TableQuery(String table, long limit, IndexSpec index) {
        this.index = index;
        this.limit = limit;
        String limitClause = limit > 0 ? " LIMIT ?" : "";
        if (index == null) {
            first = "SELECT * FROM " + table + limitClause;
            next = first;
        } else {
            String order = " ORDER BY " + index.field() + " ASC";
            first = "SELECT * FROM " + table + order + limitClause;
            next = "SELECT * FROM " + table + " WHERE " + index.field() + " > ?" + order + limitClause;
        }
    }

    @Override
    public IndexSpec index() {
        return index;
    }

    @Override
    public PreparedStatement prepare(Connection connection, IndexValue last, boolean textDatetimes)
            throws SQLException {
        boolean after = index != null && last != null;
        PreparedStatement statement = connection.prepareStatement(after ? next : first);
        int parameter = 1;
        if (after) {
            index.type().bind(statement, parameter++, last, textDatetimes);
        }
        if (limit > 0) {
            statement.setLong(parameter, limit);
        }
        return statement;
    }
}
