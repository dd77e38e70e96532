package io.tether.rule.internal.sql;

import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a stream declares, applied as eKuiper's JSON converter applies them: a record keeps the declared fields
 * only, each converted to its type; a declared field the record lacks stays absent, a null stays null. A stream
 * declaring no fields is schemaless and takes records as they come.
 */
public final class StreamSchema {
    private final DataType.Struct fields;

    private StreamSchema(List<StreamField> fields) {
        this.fields = new DataType.Struct(fields);
    }

    public static StreamSchema of(StreamDefinition stream) {
        return new StreamSchema(stream.fields());
    }

    public boolean isSchemaless() {
        return fields.fields().isEmpty();
    }

    /**
     * The record with its declared fields converted: a number into bigint (when whole) or float, a number into a
     * string, a number or {@code "true"}/{@code "false"} (and the other spellings eKuiper takes) into a boolean, a
     * base64 string into bytea, a string or a number kept as datetime, arrays and structs converted element by
     * element.
     *
     * @throws IllegalArgumentException when a field's value does not convert to its declared type
     */
    public Map<String, Object> conform(Map<String, Object> record) {
        return isSchemaless() ? record : struct(record, fields, "");
    }

    /**
     * @throws SqlException when the field is not declared, or names a nested field of a type that has none
     */
    void checkDeclared(FieldReference field) {
        if (isSchemaless()) {
            return;
        }
        DataType type = fields;
        for (String segment : field.path()) {
            type = type instanceof DataType.Struct struct ? declared(struct, segment) : null;
            if (type == null) {
                throw new SqlException("unknown field " + String.join(".", field.path()));
            }
        }
    }

    private static DataType declared(DataType.Struct struct, String name) {
        return struct.fields().stream().filter(field -> field.name().equals(name)).map(StreamField::type)
                .findFirst().orElse(null);
    }

    private static Map<String, Object> struct(Map<?, ?> value, DataType.Struct type, String prefix) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (StreamField field : type.fields()) {
            if (value.containsKey(field.name())) {
                result.put(field.name(), convert(value.get(field.name()), field.type(), prefix + field.name()));
            }
        }
        return result;
    }

    private static Object convert(Object value, DataType type, String path) {
        if (value == null) {
            return null;
        }
        Object converted;
        if (type instanceof DataType.Scalar scalar) {
            converted = scalar(value, scalar);
        } else if (type instanceof DataType.Array array && value instanceof List<?> list) {
            List<Object> elements = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                elements.add(convert(list.get(i), array.element(), path + "[" + i + "]"));
            }
            converted = elements;
        } else if (type instanceof DataType.Struct struct && value instanceof Map<?, ?> map) {
            converted = struct(map, struct, path + ".");
        } else {
            converted = null;
        }
        if (converted == null) {
            throw new IllegalArgumentException("field " + path + " is declared " + type.typeName() + " but got "
                    + Values.describe(value));
        }
        return converted;
    }

    /** The value as the scalar type, null when it does not convert. */
    private static Object scalar(Object value, DataType.Scalar type) {
        return switch (type) {
            case BIGINT -> bigint(value);
            case FLOAT -> value instanceof Number number ? Values.asDouble(number) : null;
            case STRING -> value instanceof Number || value instanceof String ? Values.text(value) : null;
            case BOOLEAN -> Values.toBoolean(value);
            case DATETIME -> value instanceof String || value instanceof Number || value instanceof Temporal
                    ? value : null;
            case BYTEA -> bytea(value);
        };
    }

    /** Whole numbers only: like eKuiper, a JSON number with a fraction or an exponent is not a bigint. */
    private static Long bigint(Object value) {
        if (value instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? big.longValue() : null;
        }
        return Values.isIntegral(value) ? Values.asLong(value) : null;
    }

    private static byte[] bytea(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String string) {
            try {
                return Base64.getDecoder().decode(string);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return null;
    }
}
