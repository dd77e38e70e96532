package io.tether.rule.internal.builtin;

import io.tether.api.io.Acceptance;
import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.testkit.ImmediateReservation;

class SimulatorSourceTest {
    private final SimulatorSourceProvider provider = new SimulatorSourceProvider();

    private static final class Recorder implements SourceContext {
        final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();

        @Override
        public String ruleId() {
            return "r1";
        }

        @Override
        public String operatorId() {
            return "source_sim";
        }

        @Override
        public ConnectionPool pool() {
            return null;
        }

        @Override
        public StatusListener connectionStatusListener() {
            return (id, status) -> { };
        }

        @Override
        public void emit(RawMessage message) {
            throw new AssertionError("the simulator emits records");
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
        }

        @Override
        public Reservation reserve(Duration maxWait) {
            return new ImmediateReservation(this);
        }

        @Override
        public Map<String, Object> state() {
            return Map.of();
        }

        @Override
        public void saveState(Map<String, Object> state) {
        }
    }

    @Test
    void emitsTheGivenRecordsInTurnAtTheInterval() throws Exception {
        Source source = provider.create("", Map.of("interval", 10, "data", List.of(Map.of("a", 1), Map.of("a", 2))));
        Recorder recorder = new Recorder();
        source.open(recorder);
        long deadline = System.currentTimeMillis() + 5000;
        while (recorder.records.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        source.close();
        assertEquals(List.of(Map.of("a", 1), Map.of("a", 2), Map.of("a", 1)), recorder.records.subList(0, 3));
        int emitted = recorder.records.size();
        Thread.sleep(50);
        assertEquals(emitted, recorder.records.size());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("tether-simulator-r1")));
    }

    @Test
    void generatesRecordsWhenNoneAreGiven() throws Exception {
        Source source = provider.create("", Map.of("interval", "1000"));
        Recorder recorder = new Recorder();
        source.open(recorder);
        long deadline = System.currentTimeMillis() + 5000;
        while (recorder.records.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        source.close();
        assertEquals(Map.of("id", 0L, "temperature", 20.0, "humidity", 40L), recorder.records.get(0));
    }

    @Test
    void propsAreValidated() {
        assertEquals(List.of(new PropError("interval", "interval must be a positive number of milliseconds"),
                new PropError("data", "data must be a list of records")),
                provider.validate("", Map.of("interval", "soon", "data", "x")));
        assertEquals(List.of(), provider.validate("", Map.of()));
    }
}
