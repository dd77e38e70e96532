package io.tether.conn.sql.internal.source;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns rows into records: column labels as keys; numbers, text, booleans and bytes as they are; SQL dates and
 * times as {@code java.time} values; anything else driver-specific as its text.
 */
final class RowReader {
    private final String[] labels;

    RowReader(ResultSetMetaData metadata) throws SQLException {
        labels = new String[metadata.getColumnCount()];
        for (int column = 1; column <= labels.length; column++) {
            labels[column - 1] = metadata.getColumnLabel(column);
        }
    }

    /** The label of the column named {@code field}, ignoring case (PostgreSQL folds names to lower case). */
    String label(String field) {
        return Arrays.stream(labels).filter(label -> label.equalsIgnoreCase(field)).findFirst().orElse(null);
    }

    Map<String, Object> read(ResultSet row) throws SQLException {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int column = 1; column <= labels.length; column++) {
            record.put(labels[column - 1], value(row.getObject(column)));
        }
        return record;
    }

    private static Object value(Object value) throws SQLException {
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof byte[] || value instanceof Temporal) {
            return value;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof Time time) {
            return time.toLocalTime();
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        }
        if (value instanceof Array array) {
            Object[] items = (Object[]) array.getArray();
            Object[] values = new Object[items.length];
            for (int i = 0; i < items.length; i++) {
                values[i] = value(items[i]);
            }
            return Arrays.asList(values);
        }
        return value.toString();
    }
}
