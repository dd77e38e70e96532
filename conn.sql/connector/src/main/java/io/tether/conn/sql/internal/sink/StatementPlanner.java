package io.tether.conn.sql.internal.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tether.conn.sql.internal.Identifiers;

/** Turns records into statements on the sink's table: the columns are validated identifiers, values parameters. */
final class StatementPlanner {
    private final SinkConfig config;
    /** The SQL of the last record, reused while records have the same columns (the usual case). */
    private RowKind lastKind;
    private List<String> lastColumns;
    private String lastSql;
    /** The last column list found valid. */
    private List<String> validColumns = List.of();

    StatementPlanner(SinkConfig config) {
        this.config = config;
    }

    /** @throws IllegalArgumentException when the record cannot make a statement */
    RowStatement plan(int index, Map<String, Object> record) {
        RowKind kind = config.rowkindField() == null ? RowKind.INSERT : RowKind.of(record.get(config.rowkindField()));
        List<String> columns = columns(record);
        if (kind == RowKind.UPDATE) {
            columns.remove(config.keyField());
        }
        List<Object> values = new ArrayList<>(columns.size() + 1);
        if (kind != RowKind.DELETE) {
            for (String column : columns) {
                values.add(record.get(column));
            }
        }
        if (kind != RowKind.INSERT) {
            Object key = record.get(config.keyField());
            if (key == null) {
                throw new IllegalArgumentException(kind.name().toLowerCase() + " without a value of key field "
                        + config.keyField());
            }
            values.add(key);
        }
        return new RowStatement(index, sql(kind, columns), values);
    }

    private List<String> columns(Map<String, Object> record) {
        List<String> columns = new ArrayList<>(config.fields() != null ? config.fields() : record.keySet());
        columns.remove(config.rowkindField());
        if (!columns.equals(validColumns)) {
            for (String column : columns) {
                if (!Identifiers.isValid(column)) {
                    throw new IllegalArgumentException("field '" + column + "' is not a valid column name");
                }
            }
            validColumns = List.copyOf(columns);
        }
        return columns;
    }

    /** For an update, {@code columns} are those to set: the key field goes into the WHERE clause only. */
    private String sql(RowKind kind, List<String> columns) {
        if (kind == lastKind && columns.equals(lastColumns)) {
            return lastSql;
        }
        String table = config.table();
        String sql = switch (kind) {
            case INSERT -> {
                if (columns.isEmpty()) {
                    throw new IllegalArgumentException("a record with no fields to insert");
                }
                yield "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + columns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")";
            }
            case UPDATE -> {
                if (columns.isEmpty()) {
                    throw new IllegalArgumentException("an update with no fields but the key");
                }
                yield "UPDATE " + table + " SET " + columns.stream().map(column -> column + " = ?")
                        .collect(Collectors.joining(", ")) + " WHERE " + config.keyField() + " = ?";
            }
            case DELETE -> "DELETE FROM " + table + " WHERE " + config.keyField() + " = ?";
        };
        lastKind = kind;
        lastColumns = columns;
        lastSql = sql;
        return sql;
    }
}
