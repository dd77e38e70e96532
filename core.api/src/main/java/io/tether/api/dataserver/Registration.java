package io.tether.api.dataserver;

import org.osgi.annotation.versioning.ProviderType;

/** An endpoint on the {@link DataServer}, until closed. */
@ProviderType
public interface Registration extends AutoCloseable {

    /** Unregisters the endpoint: its path answers 404 again (unless other methods remain). Idempotent. */
    @Override
    void close();
}
