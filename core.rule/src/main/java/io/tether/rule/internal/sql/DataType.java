package io.tether.rule.internal.sql;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The type a stream declares for a field, one of eKuiper's: {@code bigint, float, string, datetime, boolean, bytea},
 * {@code array(type)} and {@code struct(field type, ...)}. {@link #toString()} gives it as a statement writes it.
 */
public sealed interface DataType {

    /** The type's name in messages: {@code bigint}, ..., {@code array}, {@code struct}. */
    String typeName();

    enum Scalar implements DataType {
        BIGINT, FLOAT, STRING, DATETIME, BOOLEAN, BYTEA;

        @Override
        public String typeName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Array(DataType element) implements DataType {

        @Override
        public String typeName() {
            return "array";
        }

        @Override
        public String toString() {
            return "ARRAY(" + element + ")";
        }
    }

    record Struct(List<StreamField> fields) implements DataType {

        public Struct {
            fields = List.copyOf(fields);
        }

        @Override
        public String typeName() {
            return "struct";
        }

        @Override
        public String toString() {
            return fields.stream().map(field -> field.name() + " " + field.type())
                    .collect(Collectors.joining(", ", "STRUCT(", ")"));
        }
    }
}
