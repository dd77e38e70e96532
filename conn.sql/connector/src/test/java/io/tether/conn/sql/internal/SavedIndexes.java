package io.tether.conn.sql.internal;

import java.util.Objects;

import io.tether.testkit.RecordingSourceContext;

/** What the sql source saves, checked against what its rule accepted. */
public final class SavedIndexes {
    private SavedIndexes() {
    }

    /**
     * Checks that each state saved holds the index of the last record accepted before it: a saved index never passes
     * a record the rule did not accept (the source offers in index order).
     */
    public static void assertEachSaveIsTheLastAcceptedIndex(RecordingSourceContext context, String field) {
        for (RecordingSourceContext.Saved saved : context.saves) {
            if (saved.accepted() == 0 || !Objects.equals(saved.state().get("indexValue"),
                    normalized(context.records.get(saved.accepted() - 1).get(field)))) {
                throw new AssertionError("saved " + saved.state() + " after " + saved.accepted()
                        + " accepted records: " + context.values(field));
            }
        }
    }

    private static Object normalized(Object index) {
        return index instanceof Integer i ? Long.valueOf(i) : index;
    }
}
