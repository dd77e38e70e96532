package io.tether.api.connection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One live resource (a client, a pool of sockets, an endpoint registration) created by a {@link ConnectorFactory}.
 * The pool calls {@link #dial()} and {@link #ping()} on its own threads, never two at once on one instance, and
 * calls {@link #close()} exactly once. {@code close()} may come while {@code dial()} runs (the connection was updated,
 * deleted or its dial took longer than the pool's {@code dialTimeoutMillis}): the instance must then abort the dial,
 * which may end with any exception. A dial that overruns its time limit also has its thread interrupted; a dial
 * that ignores both is abandoned and reported. Consumers reach the connector-specific API through
 * {@link ConnectionHandle#as(Class)}.
 */
@ConsumerType
public interface Connection {

    /**
     * Opens the resource and returns when it is usable. Called again after a lost link or a failed ping. A stateful
     * connection restores what its consumers had set up (subscriptions) before it returns.
     *
     * @throws ConnectionException when the resource cannot be opened
     */
    void dial() throws ConnectionException;

    /**
     * Checks that the resource still works, within a bounded time. Stateless connections are pinged in the
     * background; stateful ones may simply return while their client reports through the {@link StatusSink}.
     *
     * @throws ConnectionException when the resource does not answer
     */
    void ping() throws ConnectionException;

    /**
     * {@code true} when the connection reports link losses itself through its {@link StatusSink}; {@code false}
     * when the pool has to ping it to know.
     */
    default boolean isStateful() {
        return false;
    }

    /** Releases everything the instance holds: threads, sockets, subscriptions. Never throws. */
    void close();
}
