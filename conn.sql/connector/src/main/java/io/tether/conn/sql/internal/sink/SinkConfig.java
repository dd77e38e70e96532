package io.tether.conn.sql.internal.sink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;
import io.tether.conn.sql.internal.Identifiers;
import io.tether.conn.sql.internal.Props;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * A sql sink's props: the connection ({@code url} or {@code connectionSelector}), {@code table}, {@code fields}
 * (a list, or comma-separated; default: each record's keys), {@code rowkindField} and {@code keyField}.
 *
 * @param fields       the columns to write, or {@code null} for each record's keys
 * @param rowkindField the record field naming the row's action, or {@code null}: every row is inserted
 * @param keyField     the column that identifies a row to update or delete, or {@code null}
 */
record SinkConfig(String table, List<String> fields, String rowkindField, String keyField,
        Map<String, Object> connectionProps) {

    static List<PropError> validate(Map<String, Object> values) {
        List<PropError> problems = new ArrayList<>();
        read(values, problems);
        return problems;
    }

    /** @throws IllegalArgumentException when {@link #validate} finds problems */
    static SinkConfig of(Map<String, Object> values) {
        List<PropError> problems = new ArrayList<>();
        SinkConfig config = read(values, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).prop() + ": " + problems.get(0).message());
        }
        return config;
    }

    private static SinkConfig read(Map<String, Object> values, List<PropError> problems) {
        Props props = new Props(values, problems);
        Map<String, Object> connection = SqlSettings.connectionProps(values);
        problems.addAll(NodeProps.connectionProblems(connection, SqlSettings::validate));
        String table = identifier(props, "table", true);
        String rowkindField = identifier(props, "rowkindField", false);
        String keyField = identifier(props, "keyField", false);
        if (rowkindField != null && keyField == null) {
            props.problem("keyField", "is required with rowkindField, to find the rows to update or delete");
        }
        return new SinkConfig(table, fields(props), rowkindField, keyField, connection);
    }

    private static String identifier(Props props, String key, boolean required) {
        if (!required && !props.has(key)) {
            return null;
        }
        String problem = Identifiers.problem(key, props.get(key));
        if (problem != null) {
            props.problem(key, problem);
            return null;
        }
        return props.text(key);
    }

    private static List<String> fields(Props props) {
        if (!props.has("fields")) {
            return null;
        }
        Object value = props.get("fields");
        List<?> names = value instanceof List<?> list ? list : Arrays.asList(String.valueOf(value).split(","));
        List<String> fields = new ArrayList<>();
        for (Object name : names) {
            String field = String.valueOf(name).strip();
            String problem = Identifiers.problem("field", field);
            if (problem != null) {
                props.problem("fields", problem);
            }
            fields.add(field);
        }
        return fields.isEmpty() ? null : List.copyOf(fields);
    }
}
