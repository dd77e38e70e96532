package io.tether.api.connection;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/** What the pool hands a factory when it creates a connection instance. */
@ProviderType
public interface ConnectionContext {

    /** The id of the connection: the named id, or the pool's id of an anonymous connection. */
    String connectionId();

    /** Where a stateful connection reports the changes its client notices by itself. */
    StatusSink statusSink();

    /**
     * How long the pool lets {@link Connection#dial()} run before it abandons the dial (closes the instance,
     * interrupts the thread): the pool's {@code dialTimeoutMillis}, or the connection's own. A connector bounds its
     * client's connect by it rather than by a constant of its own. Default 30 s.
     *
     * @since 1.2
     */
    default Duration dialTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * How long the pool lets {@link Connection#ping()} run: the pool's {@code pingTimeoutMillis}. A ping's own
     * wait (a query, a round trip) should end before it, so that a failing ping reports the client's reason rather
     * than the pool's time-out. Default 2 s.
     *
     * @since 1.2
     */
    default Duration pingTimeout() {
        return Duration.ofSeconds(2);
    }
}
