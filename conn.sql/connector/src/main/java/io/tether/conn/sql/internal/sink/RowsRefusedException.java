package io.tether.conn.sql.internal.sink;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Some records of an emission were refused (by the database, or as unfit for a statement); the others were written.
 * A data failure, not an I/O one: sending the emission again would not help.
 */
public final class RowsRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final int LISTED = 3;

    private final transient List<RefusedRow> refused;

    RowsRefusedException(String table, List<RefusedRow> refused, int rows) {
        super(refused.size() + " of " + rows + " rows refused by table " + table + ": "
                + refused.stream().limit(LISTED).map(RefusedRow::toString).collect(Collectors.joining("; "))
                + (refused.size() > LISTED ? "; …" : ""));
        this.refused = List.copyOf(refused);
    }

    /** The positions in the emission of the refused records. */
    public List<Integer> refusedIndexes() {
        return refused.stream().map(RefusedRow::index).toList();
    }
}
