package io.tether.pool.internal.events;

/**
 * One event of the status stream: its sequence number (the SSE id, for {@code Last-Event-ID}), its name (the SSE
 * event type: {@value #STATUS}, {@value #DELETED} or {@value #SNAPSHOT}) and its data as JSON, written once for every
 * client.
 */
public record StatusEvent(long id, String name, String json) {
    public static final String STATUS = "status";
    public static final String DELETED = "deleted";
    public static final String SNAPSHOT = "snapshot";
}
