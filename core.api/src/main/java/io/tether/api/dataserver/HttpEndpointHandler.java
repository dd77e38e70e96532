package io.tether.api.dataserver;

import org.osgi.annotation.versioning.ConsumerType;

/** Answers the requests of one HTTP endpoint of the {@link DataServer}. */
@ConsumerType
@FunctionalInterface
public interface HttpEndpointHandler {

    /**
     * Called on one of the server's threads, once the whole body is read (within the server's limit). It may block,
     * for a time it bounds itself (backpressure); many requests may be handled at once.
     *
     * @throws InterruptedException when the server stops meanwhile: it answers 503
     */
    EndpointResponse handle(EndpointRequest request) throws InterruptedException;
}
