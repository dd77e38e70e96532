package io.tether.testkit;

import java.util.Map;

import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.SourceContext;

/**
 * A {@link Reservation} for a stand-in {@link SourceContext} that always has room: {@code commit} hands the prepared
 * message or record to the context's {@code emit} or {@code emitRecord}; {@code release} drops it. For benchmarks and
 * tests whose context is not {@link RecordingSourceContext}.
 */
public final class ImmediateReservation implements Reservation {
    private final SourceContext context;
    private Runnable prepared = () -> {
    };

    public ImmediateReservation(SourceContext context) {
        this.context = context;
    }

    @Override
    public Acceptance acceptance() {
        return Acceptance.ACCEPTED;
    }

    @Override
    public void prepare(RawMessage message) {
        prepared = () -> context.emit(message);
    }

    @Override
    public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
        prepared = () -> context.emitRecord(record, meta);
    }

    @Override
    public void commit() {
        prepared.run();
    }

    @Override
    public void release() {
        prepared = () -> {
        };
    }
}
