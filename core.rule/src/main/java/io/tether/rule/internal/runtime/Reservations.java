package io.tether.rule.internal.runtime;

import java.util.List;
import java.util.Map;

import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;

/** Reservations that hold no room, and one that holds room in several rules at once. */
final class Reservations {
    static final Reservation NOT_HELD_DROPPED = new NotHeld(Acceptance.DROPPED);
    static final Reservation NOT_HELD_CLOSED = new NotHeld(Acceptance.CLOSED);

    private Reservations() {
    }

    /** The rule had no room, or stopped: nothing to prepare, commit or release. */
    private record NotHeld(Acceptance acceptance) implements Reservation {
        @Override
        public void prepare(RawMessage message) {
            throw notHeld();
        }

        @Override
        public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
            throw notHeld();
        }

        @Override
        public void commit() {
            throw notHeld();
        }

        @Override
        public void release() {
        }

        private IllegalStateException notHeld() {
            return new IllegalStateException("no room is held: " + acceptance);
        }
    }

    /** Room held in every one of {@code held} (each {@code ACCEPTED}): prepared and committed in all of them. */
    static Reservation all(List<Reservation> held) {
        return new Reservation() {
            @Override
            public Acceptance acceptance() {
                return Acceptance.ACCEPTED;
            }

            @Override
            public void prepare(RawMessage message) {
                held.forEach(reservation -> reservation.prepare(message));
            }

            @Override
            public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
                held.forEach(reservation -> reservation.prepareRecord(record, meta));
            }

            @Override
            public void commit() {
                held.forEach(Reservation::commit);
            }

            @Override
            public void release() {
                held.forEach(Reservation::release);
            }
        };
    }
}
