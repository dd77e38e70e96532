package io.tether.pool.internal.registry;

/** Where a connection entry is in its life (DESIGN.md, "A connection entry's life"). */
enum EntryState {
    /** No factory for the type: waiting for one. */
    PARKED,
    /** A dial is in flight. */
    DIALING,
    /** Waiting for the next dial after a failure or a lost link. */
    WAITING,
    /** Waiting for the next dial because something the connection needs is not there (a driver). */
    MISSING_RESOURCE,
    CONNECTED,
    /** The link of a connected instance was just lost: reported as such before the entry waits to re-dial. */
    LOST,
    /** A permanent failure: no retry until the connection is updated. */
    FAILED,
    CLOSED
}
