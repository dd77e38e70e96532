package io.tether.rule.internal.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

import io.tether.rule.internal.sql.grammar.KuiperSqlLexer;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.CreateStreamContext;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.DataTypeContext;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.FieldDefContext;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.SelectContext;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.StatementContext;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser.StreamOptionContext;

/** Parses eKuiper's SQL dialect into stream definitions and select statements. */
public final class Sql {
    private static final List<String> FORMATS = List.of("json", "binary");

    private Sql() {
    }

    /**
     * @throws SqlException when the statement is not a valid {@code CREATE STREAM}
     */
    public static StreamDefinition parseStream(String sql) {
        CreateStreamContext create = parse(sql).createStream();
        if (create == null) {
            throw new SqlException("a CREATE STREAM statement is expected");
        }
        String name = Identifiers.text(create.name);
        List<StreamField> fields = create.fieldDef().stream().map(Sql::field).toList();
        Map<String, String> options = options(create.streamOption());
        String type = options.getOrDefault("TYPE", "mqtt").toLowerCase(Locale.ROOT);
        String format = options.getOrDefault("FORMAT", "json").toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new SqlException("FORMAT \"" + options.get("FORMAT") + "\" is not supported: use json or binary");
        }
        if (format.equals("binary") && !fields.isEmpty()
                && (fields.size() > 1 || fields.get(0).type() != DataType.Scalar.BYTEA)) {
            throw new SqlException("a BINARY stream is schemaless or declares one BYTEA field, for the payload");
        }
        String shared = options.getOrDefault("SHARED", "false").toLowerCase(Locale.ROOT);
        if (!shared.equals("true") && !shared.equals("false")) {
            throw new SqlException("SHARED must be \"true\" or \"false\", not \"" + options.get("SHARED") + "\"");
        }
        return new StreamDefinition(name, fields, type, options.getOrDefault("DATASOURCE", ""), format,
                options.get("CONF_KEY"), shared.equals("true"));
    }

    private static StreamField field(FieldDefContext field) {
        return new StreamField(Identifiers.text(field.identifier()), dataType(field.dataType()));
    }

    private static DataType dataType(DataTypeContext type) {
        String name = Identifiers.text(type.identifier()).toUpperCase(Locale.ROOT);
        boolean parameterized = type.LPAREN() != null;
        switch (name) {
            case "ARRAY" -> {
                if (!parameterized || type.dataType().size() != 1 || !type.fieldDef().isEmpty()) {
                    throw new SqlException("ARRAY needs one element type: ARRAY(type)");
                }
                return new DataType.Array(dataType(type.dataType(0)));
            }
            case "STRUCT" -> {
                if (!parameterized || !type.dataType().isEmpty()) {
                    throw new SqlException("STRUCT needs named fields: STRUCT(name type, ...)");
                }
                return new DataType.Struct(type.fieldDef().stream().map(Sql::field).toList());
            }
            default -> {
                DataType.Scalar scalar = Arrays.stream(DataType.Scalar.values())
                        .filter(candidate -> candidate.name().equals(name)).findFirst()
                        .orElseThrow(() -> new SqlException("data type " + name + " is not supported: use BIGINT, "
                                + "FLOAT, STRING, DATETIME, BOOLEAN, BYTEA, ARRAY(type) or STRUCT(name type, ...)"));
                if (parameterized) {
                    throw new SqlException("data type " + name + " takes no parameters");
                }
                return scalar;
            }
        }
    }

    /**
     * @throws SqlException when the statement is not a valid SELECT or uses what is not supported
     */
    public static SelectStatement parseSelect(String sql) {
        SelectContext select = parse(sql).select();
        if (select == null) {
            throw new SqlException("a SELECT statement is expected");
        }
        if (select.unsupportedClause() != null) {
            throw new SqlException(clauseName(select.unsupportedClause().clause.getText()) + " is not supported");
        }
        String stream = Identifiers.text(select.from);
        List<String> qualifiers = new ArrayList<>(List.of(stream));
        if (select.alias != null) {
            qualifiers.add(Identifiers.text(select.alias));
        }
        ExpressionBuilder expressions = new ExpressionBuilder(qualifiers);
        List<SelectItem> items = new ArrayList<>();
        for (var item : select.selectItem()) {
            if (item instanceof KuiperSqlParser.ProjectionContext projection) {
                Expression expression = expressions.visit(projection.expr());
                items.add(new SelectItem.Projection(expression, name(projection, expression, items.size())));
            } else {
                items.add(new SelectItem.AllFields());
            }
        }
        Optional<Expression> where = Optional.ofNullable(select.where).map(expressions::visit);
        return new SelectStatement(items, stream, where);
    }

    private static String name(KuiperSqlParser.ProjectionContext projection, Expression expression, int index) {
        if (projection.alias != null) {
            return Identifiers.text(projection.alias);
        }
        if (expression instanceof FieldReference field) {
            return field.name();
        }
        if (expression instanceof FunctionCall call) {
            return call.name();
        }
        return "kuiper_field_" + index;
    }

    private static String clauseName(String keyword) {
        return switch (keyword.toUpperCase(Locale.ROOT)) {
            case "GROUP" -> "GROUP BY";
            case "ORDER" -> "ORDER BY";
            case "HAVING" -> "HAVING";
            case "LIMIT" -> "LIMIT";
            default -> "JOIN";
        };
    }

    private static Map<String, String> options(List<StreamOptionContext> options) {
        Map<String, String> result = new LinkedHashMap<>();
        for (StreamOptionContext option : options) {
            String key = Identifiers.text(option.identifier()).toUpperCase(Locale.ROOT);
            if (!List.of("TYPE", "DATASOURCE", "FORMAT", "CONF_KEY", "SHARED").contains(key)) {
                throw new SqlException("stream option " + key + " is not supported");
            }
            if (result.put(key, Identifiers.unquote(option.STRING().getText())) != null) {
                throw new SqlException("stream option " + key + " is given twice");
            }
        }
        return result;
    }

    private static StatementContext parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlException("sql is empty");
        }
        ThrowingErrorListener errors = new ThrowingErrorListener();
        KuiperSqlLexer guardLexer = new KuiperSqlLexer(CharStreams.fromString(sql));
        guardLexer.removeErrorListeners();
        guardLexer.addErrorListener(errors);
        DepthGuard.check(guardLexer, DepthGuard.MAX_DEPTH);
        KuiperSqlLexer lexer = new KuiperSqlLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        KuiperSqlParser parser = new KuiperSqlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        return parser.statement();
    }

    /** Stops at the first syntax error, with its position and ANTLR's account of what was expected. */
    private static final class ThrowingErrorListener extends BaseErrorListener {
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                String message, RecognitionException e) {
            throw new SqlException("syntax error at line " + line + ", column " + (column + 1) + ": " + message);
        }
    }
}
