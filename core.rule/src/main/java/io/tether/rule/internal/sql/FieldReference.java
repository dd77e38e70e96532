package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A field, or a nested field {@code a.b} (a map inside the record). */
public record FieldReference(List<String> path) implements Expression {
    /** What {@link #resolve} answers for a field the record does not have. */
    static final Object MISSING = new Object();

    public FieldReference {
        path = List.copyOf(path);
    }

    /** The name a projection of this field gets: its last segment, as eKuiper names it. */
    public String name() {
        return path.get(path.size() - 1);
    }

    @Override
    public Stream<FieldReference> fieldReferences() {
        return Stream.of(this);
    }

    @Override
    public Object evaluate(Map<String, Object> record) {
        Object value = resolve(record);
        if (value == MISSING) {
            throw new EvaluationException("field " + String.join(".", path) + " is not found in the record");
        }
        return value;
    }

    /** The field's value, {@code null} for a null value, {@link #MISSING} when the record has no such field. */
    Object resolve(Map<String, Object> record) {
        Object current = record;
        for (String segment : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
                return MISSING;
            }
            current = map.get(segment);
        }
        return current;
    }
}
