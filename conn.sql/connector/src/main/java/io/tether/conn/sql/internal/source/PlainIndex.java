package io.tether.conn.sql.internal.source;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** An index of numbers (an id, a counter) or of text, compared as such. */
final class PlainIndex implements IndexType {

    @Override
    public IndexValue fromConfig(Object value) {
        return of(value, "indexValue");
    }

    @Override
    public IndexValue fromRow(Object value) {
        return of(value, "the index field");
    }

    @Override
    public IndexValue fromState(Object value) {
        return of(value, "the saved index");
    }

    @Override
    public void bind(PreparedStatement statement, int parameter, IndexValue value, boolean textDatetimes)
            throws SQLException {
        statement.setObject(parameter, value.stored());
    }

    private static IndexValue of(Object value, String what) {
        if (value instanceof Number number) {
            Number stored = number instanceof Integer || number instanceof Short || number instanceof Byte
                    ? Long.valueOf(number.longValue())
                    : number instanceof BigInteger big ? new BigDecimal(big) : number;
            return new IndexValue(new BigDecimal(stored.toString()), stored);
        }
        if (value instanceof String text) {
            return new IndexValue(text, text);
        }
        throw new IllegalArgumentException(what + " has a value of type "
                + (value == null ? "null" : value.getClass().getSimpleName())
                + "; an index of dates and times needs indexFieldType: DATETIME");
    }
}
