package io.tether.conn.sql.internal;

import io.tether.api.io.Acceptance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Encoder;
import io.tether.api.io.RawMessage;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SourceContext;

/** The rule layer's side of a source or sink, as a test sees it: what was emitted, saved, reported and told. */
public final class RecordingContext implements SourceContext, SinkContext {
    private final ConnectionPool pool;
    private final String ruleId;
    public final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    private volatile Map<String, Object> state;

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
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait) {
        emitRecord(record, meta);
        return Acceptance.ACCEPTED;
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
    }

    @Override
    public Encoder encoder() {
        throw new UnsupportedOperationException("a sql sink writes records");
    }

    /** The values of one field of the records emitted so far. */
    public List<Object> values(String field) {
        List<Object> values = new ArrayList<>();
        records.forEach(record -> values.add(record.get(field)));
        return values;
    }
}
