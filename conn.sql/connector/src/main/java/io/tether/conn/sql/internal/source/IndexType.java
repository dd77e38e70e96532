package io.tether.conn.sql.internal.source;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How index values are read, kept and bound: plain (numbers or text) or date-times. */
interface IndexType {

    /** The {@code indexValue} of the configuration. @throws IllegalArgumentException when it does not fit */
    IndexValue fromConfig(Object value);

    /** A value of a row. @throws IllegalArgumentException when it does not fit */
    IndexValue fromRow(Object value);

    /** A value kept in the source's state. @throws IllegalArgumentException when it does not fit */
    IndexValue fromState(Object value);

    void bind(PreparedStatement statement, int parameter, IndexValue value, boolean textDatetimes)
            throws SQLException;
}
