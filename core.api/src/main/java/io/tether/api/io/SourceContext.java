package io.tether.api.io;

import java.time.Duration;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The rule layer's side of a running source.
 * <p>
 * Hand-off (SPEC §7, "nothing accepted is lost"): a record is <em>accepted</em> once it is in its rule's buffer; a
 * rule whose buffer is full makes its source wait (backpressure) rather than drop, unless the rule opted into
 * {@code options.overflow: drop}. A source that acknowledges to its peer (an MQTT PUBACK, a JetStream ack, an
 * HTTP 200, a saved read index) does so only after {@link #offer} returned {@link Acceptance#ACCEPTED} for every
 * rule the record goes to, in the order the peer expects. A source must never make a thread that its client needs
 * for other work wait here (e.g. the reader of a socket that also carries the acknowledgements of sinks and the
 * keep-alive answers): it hands on from a thread of its own.
 */
@ProviderType
public interface SourceContext extends NodeContext {

    /**
     * Hands on a raw message, decoded by the rule layer as the stream's FORMAT says. Waits, without a time limit,
     * for room in the rule's buffer; returns at once when the rule stops or the thread is interrupted (the interrupt
     * status is kept). Sources that acknowledge to their peer use {@link #offer} instead.
     */
    void emit(RawMessage message);

    /** Hands on a record that the source decoded itself (a row, a reading), with metadata. Waits as {@link #emit}. */
    void emitRecord(Map<String, Object> record, Map<String, Object> meta);

    /**
     * Hands on a raw message once the rule has room for it, waiting at most {@code maxWait}; the wait ends at once
     * when the rule stops. A source that will acknowledge the message may wait long (its peer's in-flight window
     * then throttles delivery); one that cannot acknowledge (MQTT QoS 0) waits briefly and lets the record drop.
     *
     * @return {@link Acceptance#ACCEPTED} once the message is in the rule's buffer
     * @throws InterruptedException when the calling thread was interrupted while waiting: nothing was handed on
     * @since 1.2
     */
    Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException;

    /**
     * As {@link #offer(RawMessage, Duration)}, for a record that the source decoded itself.
     *
     * @since 1.2
     */
    Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
            throws InterruptedException;

    /**
     * Holds room for one message in the rule's buffer, waiting for it at most {@code maxWait} as {@link #offer}
     * does, so that a message for several rules can be handed to all of them or to none (see {@link Reservation}).
     *
     * @return a reservation; its {@link Reservation#acceptance()} says whether the room is held
     * @throws InterruptedException when the calling thread was interrupted while waiting: nothing is held
     * @since 1.3
     */
    Reservation reserve(Duration maxWait) throws InterruptedException;

    /** The state the source saved last, empty at first start; kept with the rule across restarts. */
    Map<String, Object> state();

    /**
     * Saves the source's small state (e.g. the last index read). A source that reads a position (an index, an
     * offset) saves it only for records that were {@link Acceptance#ACCEPTED}, and may save once per batch.
     */
    void saveState(Map<String, Object> state);
}
