package io.tether.conn.sql.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Acceptance;
import io.tether.api.io.Encoder;
import io.tether.api.io.RawMessage;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SourceContext;

/**
 * The rule layer's side of a source or sink, as a test sees it: what was offered, accepted, saved, reported and told.
 * A test may make it a slow or overloaded rule with {@link #accepting}.
 */
public final class RecordingContext implements SourceContext, SinkContext {
    private final ConnectionPool pool;
    private final String ruleId;
    /** The records the rule accepted (or was handed with {@code emit}), in order. */
    public final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    /** Every record offered, accepted or not. */
    public final List<Map<String, Object>> offered = new CopyOnWriteArrayList<>();
    /** Every state saved, in order, with the number of records accepted when it was saved. */
    public final List<Saved> saves = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    private volatile Map<String, Object> state;
    private volatile Rule rule = record -> Acceptance.ACCEPTED;

    /** How the rule answers an offer: at once, after a wait (a slow rule), or not at all. */
    @FunctionalInterface
    public interface Rule {
        Acceptance offer(Map<String, Object> record) throws InterruptedException;
    }

    /** A saved state, and how many records the rule had accepted when it was saved. */
    public record Saved(Map<String, Object> state, int accepted) {
    }

    public RecordingContext(ConnectionPool pool, String ruleId, Map<String, Object> state) {
        this.pool = pool;
        this.ruleId = ruleId;
        this.state = Map.copyOf(state);
    }

    @Override
    public String ruleId() {
        return ruleId;
    }

    @Override
    public String operatorId() {
        return "op";
    }

    @Override
    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return (id, status) -> statuses.add(status);
    }

    @Override
    public void emit(RawMessage message) {
        throw new UnsupportedOperationException("a sql source emits records");
    }

    @Override
    public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        records.add(record);
    }

    @Override
    public Acceptance offer(RawMessage message, Duration maxWait) {
        emit(message);
        return Acceptance.ACCEPTED;
    }

    @Override
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
            throws InterruptedException {
        offered.add(record);
        Acceptance acceptance = rule.offer(record);
        if (acceptance == Acceptance.ACCEPTED) {
            records.add(record);
        }
        return acceptance;
    }

    /** Makes offers answered by {@code answer}; by default every record is accepted at once. */
    public RecordingContext accepting(Rule answer) {
        rule = answer;
        return this;
    }

    @Override
    public void reportError(Throwable error) {
        errors.add(error);
    }

    @Override
    public Map<String, Object> state() {
        return state;
    }

    @Override
    public void saveState(Map<String, Object> saved) {
        state = Map.copyOf(saved);
        saves.add(new Saved(state, records.size()));
    }

    @Override
    public Encoder encoder() {
        throw new UnsupportedOperationException("a sql sink writes records");
    }

    /**
     * Checks that each state saved holds the index of the last record accepted before it: a saved index never passes
     * a record the rule did not accept (the source offers in index order).
     */
    public void assertEachSaveIsTheLastAcceptedIndex(String field) {
        for (Saved saved : saves) {
            if (saved.accepted() == 0 || !Objects.equals(saved.state().get("indexValue"),
                    normalized(records.get(saved.accepted() - 1).get(field)))) {
                throw new AssertionError("saved " + saved.state() + " after " + saved.accepted()
                        + " accepted records: " + values(field));
            }
        }
    }

    private static Object normalized(Object index) {
        return index instanceof Integer i ? Long.valueOf(i) : index;
    }

    /** The values of one field of the records emitted so far. */
    public List<Object> values(String field) {
        List<Object> values = new ArrayList<>();
        records.forEach(record -> values.add(record.get(field)));
        return values;
    }
}
