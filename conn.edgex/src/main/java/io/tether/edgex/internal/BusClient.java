package io.tether.edgex.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import io.tether.api.connection.ConnectionException;

/** One client of an EdgeX bus, owned by one connection instance: dialled once, closed once. */
interface BusClient {

    /** Connects within the connection's dial time; a {@link #close()} meanwhile makes it return. */
    void connect() throws ConnectionException;

    /**
     * Subscribes to the subscriber's topic; each message goes to {@link Subscriber#deliver} on a thread of this
     * subscription's own, so a subscriber that waits holds up nobody else.
     *
     * @return ends the subscription (the client stays connected)
     */
    Runnable subscribe(Subscriber subscriber) throws IOException;

    /** Publishes; the stage completes once the bus has the message (its acknowledgement, when the bus gives one). */
    CompletableFuture<Void> publish(String topic, Envelope envelope);

    /** Releases the client: its threads, its socket. Never throws. */
    void close();
}
