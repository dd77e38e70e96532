package io.tether.api.io;

import org.osgi.annotation.versioning.ProviderType;

/** The rule layer's side of a running sink. */
@ProviderType
public interface SinkContext extends NodeContext {

    /** Encodes emissions for byte-oriented sinks, as the rule's action props say ({@code sendSingle}). */
    Encoder encoder();
}
