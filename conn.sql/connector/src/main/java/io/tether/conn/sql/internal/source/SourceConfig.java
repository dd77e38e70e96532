package io.tether.conn.sql.internal.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;
import io.tether.conn.sql.internal.Identifiers;
import io.tether.conn.sql.internal.Props;
import io.tether.conn.sql.internal.connection.SqlSettings;

/**
 * A sql source's props: {@code interval} (ms), the connection ({@code url} or {@code connectionSelector}), and the
 * query: {@code templateSqlQueryCfg} if given (as in eKuiper), else {@code internalSqlQueryCfg}, whose table defaults
 * to the stream's datasource.
 */
record SourceConfig(long intervalMillis, SourceQuery query, Map<String, Object> connectionProps) {

    static final String INTERVAL = "interval";
    static final String INTERNAL = "internalSqlQueryCfg";
    static final String TEMPLATE = "templateSqlQueryCfg";
    static final long DEFAULT_INTERVAL_MS = 10_000;

    static List<PropError> validate(String datasource, Map<String, Object> values) {
        List<PropError> problems = new ArrayList<>();
        read(datasource, values, problems);
        return problems;
    }

    /** @throws IllegalArgumentException when {@link #validate} finds problems */
    static SourceConfig of(String datasource, Map<String, Object> values) {
        List<PropError> problems = new ArrayList<>();
        SourceConfig config = read(datasource, values, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).prop() + ": " + problems.get(0).message());
        }
        return config;
    }

    private static SourceConfig read(String datasource, Map<String, Object> values, List<PropError> problems) {
        Props props = new Props(values, problems);
        long interval = props.number(INTERVAL, DEFAULT_INTERVAL_MS, 1, Long.MAX_VALUE);
        Map<String, Object> connection = SqlSettings.connectionProps(values);
        problems.addAll(NodeProps.connectionProblems(connection, SqlSettings::validate));
        SourceQuery query = props.has(TEMPLATE) ? template(props.nested(TEMPLATE))
                : table(datasource, props.nested(INTERNAL));
        return new SourceConfig(interval, query, connection);
    }

    private static SourceQuery template(Props config) {
        String key = config.has("TemplateSql") ? "TemplateSql" : "templateSql";
        if (!config.has(key)) {
            config.problem("TemplateSql", "is required");
            return null;
        }
        IndexSpec index = IndexSpec.read(config);
        try {
            return TemplateQuery.of(config.text(key), index);
        } catch (IllegalArgumentException e) {
            config.problem("TemplateSql", e.getMessage());
            return null;
        }
    }

    private static SourceQuery table(String datasource, Props config) {
        Object table = config.has("table") ? config.get("table") : datasource;
        String problem = Identifiers.problem("table", table);
        if (problem != null) {
            config.problem("table", problem + " (or give the stream's datasource as the table)");
            return null;
        }
        long limit = config.number("limit", 0, 0, Integer.MAX_VALUE);
        return new TableQuery((String) table, limit, IndexSpec.read(config));
    }
}
