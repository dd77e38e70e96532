package io.tether.conn.sql.internal.sink;

import java.util.List;
import java.util.stream.Collectors;

import io.tether.api.io.DeliveryException;

/**
 * Some records of an emission were refused (by the database, or as unfit for a statement); the others were written.
 * A permanent failure: sending the emission again would not help (and would write the others twice).
 */
public final class RowsRefusedException extends DeliveryException {
    private static final long serialVersionUID = 1L;
    private static final int LISTED = 3;

    private final transient List<RefusedRow> refused;

    RowsRefusedException(String table, List<RefusedRow> refused, int rows) {
        super(refused.size() + " of " + rows + " rows refused by table " + table + ": "
                + refused.stream().limit(LISTED).map(RefusedRow::toString).collect(Collectors.joining("; "))
                + (refused.size() > LISTED ? "; …" : ""), false, null);
        this.refused = List.copyOf(refused);
    }

    /** The positions in the emission of the refused records. */
    public List<Integer> refusedIndexes() {
        return refused.stream().map(RefusedRow::index).toList();
    }
}
