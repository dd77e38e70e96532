package io.tether.conn.sql.internal.sink;

import java.util.Locale;

/** What a record does to its row, as its {@code rowkindField} says (insert when there is none). */
enum RowKind {
    INSERT, UPDATE, DELETE;

    /** @throws IllegalArgumentException for anything but insert, update or delete */
    static RowKind of(Object value) {
        if (value == null || "".equals(value)) {
            return INSERT;
        }
        try {
            return valueOf(String.valueOf(value).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rowkind '" + value + "' is not insert, update or delete");
        }
    }
}
