package io.tether.api.connection;

import org.osgi.annotation.versioning.ProviderType;

/** What the pool hands a factory when it creates a connection instance. */
@ProviderType
public interface ConnectionContext {

    /** The id of the connection: the named id, or the pool's id of an anonymous connection. */
    String connectionId();

    /** Where a stateful connection reports the changes its client notices by itself. */
    StatusSink statusSink();
}
