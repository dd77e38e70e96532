package io.tether.rule.internal.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A parsed {@code SELECT ... FROM stream [WHERE ...]}: filters and projects one record at a time. */
public record SelectStatement(List<SelectItem> items, String stream, Optional<Expression> where) {

    public SelectStatement {
        items = List.copyOf(items);
    }

    /**
     * As eKuiper, a statement over a stream that declares its fields may read only those.
     *
     * @throws SqlException naming the first field read that the schema does not declare
     */
    public void checkFieldsDeclared(StreamSchema schema) {
        Stream<Expression> projected = items.stream().flatMap(item -> item instanceof SelectItem.Projection projection
                ? Stream.of(projection.expression())
                : Stream.empty());
        Stream.concat(projected, where.stream()).flatMap(Expression::fieldReferences).forEach(schema::checkDeclared);
    }

    /**
     * @throws EvaluationException when the WHERE condition cannot be evaluated or is not a boolean
     */
    public boolean matches(Map<String, Object> record) {
        if (where.isEmpty()) {
            return true;
        }
        Object result = where.get().evaluate(record);
        if (result instanceof Boolean matched) {
            return matched;
        }
        throw new EvaluationException("WHERE must be a boolean condition, not " + Values.typeName(result));
    }

    /**
     * The result record. A plain field the record lacks is left out, as eKuiper does; other expressions over a
     * missing field fail.
     *
     * @throws EvaluationException when an expression cannot be evaluated
     */
    public Map<String, Object> project(Map<String, Object> record) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (SelectItem item : items) {
            if (item instanceof SelectItem.AllFields) {
                result.putAll(record);
            } else if (item instanceof SelectItem.Projection projection) {
                Object value = projection.expression() instanceof FieldReference field
                        ? field.resolve(record)
                        : projection.expression().evaluate(record);
                if (value != FieldReference.MISSING) {
                    result.put(projection.name(), value);
                }
            }
        }
        return result;
    }
}
