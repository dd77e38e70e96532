package io.tether.api.io;

/**
 * What became of a record a source offered to its rule (SPEC §7). Only an {@link #ACCEPTED} record may be
 * acknowledged to the peer it came from.
 *
 * @since 1.2
 */
public enum Acceptance {
    /** The record is in the rule's buffer: the rule will process it, also through a graceful stop or update. */
    ACCEPTED,
    /**
     * The rule had no room within the wait (or its {@code options.overflow} is {@code drop}): the record was dropped
     * and counted as an exception of the rule's source.
     */
    DROPPED,
    /** The rule stopped (or is stopping): the record is not for it any more. Nothing was counted. */
    CLOSED
}
