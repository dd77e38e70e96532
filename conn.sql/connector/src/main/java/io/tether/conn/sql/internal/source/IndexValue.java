package io.tether.conn.sql.internal.source;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * A value of the index field.
 *
 * @param order  what values are compared by: a {@link BigDecimal}, a {@link String} or a {@link LocalDateTime}
 * @param stored the value as kept in the source's state and bound to queries: a number, or text
 */
record IndexValue(Comparable<?> order, Object stored) {

    @SuppressWarnings({ "unchecked", "rawtypes" })
    boolean isAfter(IndexValue other) {
        if (other == null) {
            return true;
        }
        if (order.getClass() == other.order.getClass()) {
            return ((Comparable) order).compareTo(other.order) > 0;
        }
        return order.toString().compareTo(other.order.toString()) > 0;
    }
}
