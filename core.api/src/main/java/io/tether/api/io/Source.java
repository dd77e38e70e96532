package io.tether.api.io;

import org.osgi.annotation.versioning.ConsumerType;

/** A running source, owned by one rule. */
@ConsumerType
public interface Source {

    /** Starts delivering to the context: attaches to the pool, subscribes or starts polling. */
    void open(SourceContext context) throws Exception;

    /** Stops delivering and detaches from the pool. Never throws. */
    void close();
}
