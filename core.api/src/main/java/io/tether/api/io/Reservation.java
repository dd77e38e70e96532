package io.tether.api.io;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Room for one message held in a rule's buffer ({@link SourceContext#reserve}), so that a source fanning one message
 * out to several rules hands it to all of them or to none: it reserves in every rule first, prepares the message for
 * each (decoding it, which may fail), and commits only when all succeeded; otherwise it releases them all.
 * <p>
 * Used by one thread. A reservation must end with {@link #commit} or {@link #release}: held room is taken from the
 * rule's other sources meanwhile.
 *
 * @since 1.3
 */
@ProviderType
public interface Reservation {

    /**
     * {@link Acceptance#ACCEPTED} when the room is held; {@link Acceptance#DROPPED} when the rule had no room within
     * the wait (counted as for {@link SourceContext#offer}); {@link Acceptance#CLOSED} when the rule stops. Only a
     * held reservation can be prepared and committed; the others need no release.
     */
    Acceptance acceptance();

    /**
     * Decodes the message now, as the stream's FORMAT says, without handing it on. May be called again (the last
     * prepared message counts).
     *
     * @throws IllegalArgumentException when the payload cannot be decoded, its message the cause; nothing was
     *                                  counted and the room stays held
     * @throws IllegalStateException    when the room is not held, or the reservation was committed or released
     */
    void prepare(RawMessage message);

    /** As {@link #prepare}, for a record that the source decoded itself. */
    void prepareRecord(Map<String, Object> record, Map<String, Object> meta);

    /**
     * Hands the prepared message on into the held room: it is {@link Acceptance#ACCEPTED}. Never waits.
     *
     * @throws IllegalStateException when nothing was prepared, or the reservation was committed or released
     */
    void commit();

    /** Gives the room back, unused. Idempotent; nothing after {@link #commit}. */
    void release();
}
