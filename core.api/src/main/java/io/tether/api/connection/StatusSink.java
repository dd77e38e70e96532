package io.tether.api.connection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a stateful connection reports status changes that its client noticed by itself. The pool gives each
 * connection instance its own sink; reports from an instance that has been replaced or closed are ignored.
 */
@ProviderType
public interface StatusSink {

    /** The client is connected again by its own means (for example a peer that dialled in). */
    void connected();

    /** The link was lost. The pool reports {@code disconnected} with the reason and re-dials with backoff. */
    void disconnected(String reason);

    /**
     * What made the last dial fail has changed (for example a missing driver appeared): the pool dials again now
     * rather than after its backoff delay, or right after the dial in flight if that one fails. Ignored while
     * connected.
     *
     * @since 1.1
     */
    void retryNow();
}
