package io.tether.testkit;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.io.Encoder;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;

/**
 * A rule as a sink sees it, with the rule layer's JSON encoder: one array per emission, or one object per record with
 * {@code sendSingle}.
 */
public class RecordingSinkContext extends RecordingContext implements SinkContext {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean sendSingle;
    private volatile Sink sink;

    /** @param sendSingle one payload per record rather than one per emission */
    public RecordingSinkContext(ConnectionPool pool, String ruleId, String operatorId, boolean sendSingle) {
        super(pool, ruleId, operatorId);
        this.sendSingle = sendSingle;
    }

    /** Opens the sink on this context; {@link #sink()} sends through it and {@link #close()} closes it. */
    public RecordingSinkContext open(Sink opened) throws Exception {
        opened.open(this);
        sink = opened;
        closeWith(opened::close);
        return this;
    }

    /** The sink {@link #open opened} on this context. */
    public Sink sink() {
        return sink;
    }

    @Override
    public Encoder encoder() {
        return records -> sendSingle ? records.stream().map(RecordingSinkContext::json).toList()
                : List.of(json(records));
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
