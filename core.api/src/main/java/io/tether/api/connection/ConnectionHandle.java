package io.tether.api.connection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A consumer's view of the connection it is attached to. The instance behind it changes when the connection is
 * updated or its type comes back: look it up with {@link #as(Class)} at each use, do not keep it.
 */
@ProviderType
public interface ConnectionHandle extends AutoCloseable {

    /** The id of the connection (named or anonymous). */
    String connectionId();

    /** The reference id this handle was attached under. */
    String refId();

    /** The type of the connection. */
    String type();

    /** The last known status; never waits on the network. */
    ConnectionStatus status();

    /**
     * The current connection instance as the given connector-specific type.
     *
     * @throws ConnectionPoolException when there is no live instance (the type is not installed, the handle
     *                                 is detached) or the instance is not of that type
     */
    <T> T as(Class<T> type);

    /**
     * Tells the pool that a use of the connection failed; a stateless connection is then pinged at once.
     */
    void reportFailure(String reason);

    /** Detaches from the pool; the same as {@link ConnectionPool#detach(ConnectionHandle)}. */
    @Override
    void close();
}
