package io.tether.conn.sql.internal.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * eKuiper's {@code templateSqlQueryCfg}: the user's SQL, where each {@code {{.indexField}}} placeholder (quoted or
 * not) becomes a parameter bound to the last index value, never text pasted into the SQL.
 */
final class TemplateQuery implements SourceQuery {
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "'\\{\\{\\s*\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}'|\\{\\{\\s*\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private final String sql;
    private final int parameters;
    private final IndexSpec index;

    private TemplateQuery(String sql, int parameters, IndexSpec index) {
        this.sql = sql;
        this.parameters = parameters;
        this.index = index;
    }

    /** @throws IllegalArgumentException when a placeholder names anything but the index field */
    static TemplateQuery of(String template, IndexSpec index) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder sql = new StringBuilder();
        int parameters = 0;
        while (placeholder.find()) {
            String name = placeholder.group(1) != null ? placeholder.group(1) : placeholder.group(2);
            if (index == null || !index.field().equals(name)) {
                throw new IllegalArgumentException("placeholder {{." + name + "}} is not the indexField"
                        + (index == null ? " (none is set)" : " '" + index.field() + "'"));
            }
            placeholder.appendReplacement(sql, "?");
            parameters++;
        }
        placeholder.appendTail(sql);
        if (sql.indexOf("{{") >= 0) {
            throw new IllegalArgumentException("only {{.indexField}} placeholders are supported");
        }
        if (parameters > 0 && index.initial() == null) {
            throw new IllegalArgumentException("a template with placeholders needs an indexValue to start from");
        }
        return new TemplateQuery(sql.toString(), parameters, index);
    }

    @Override
    public IndexSpec index() {
        return index;
    }

    @Override
    public PreparedStatement prepare(Connection connection, IndexValue last, boolean textDatetimes)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int parameter = 1; parameter <= parameters; parameter++) {
            index.type().bind(statement, parameter, last, textDatetimes);
        }
        return statement;
    }
}
