package io.tether.api.connection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of a connection's status: once at once when attached, then on every change, in order. Called outside the
 * pool's locks; it must not block.
 */
@ConsumerType
@FunctionalInterface
public interface StatusListener {
    void statusChanged(String connectionId, ConnectionStatus status);
}
