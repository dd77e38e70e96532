package io.tether.edgex.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.kit.ConnectionScopes;

/**
 * One connection to an EdgeX bus: a bus client per dial, shared by every source and sink attached to the connection.
 * Stateful: the client reports a lost link, the pool dials again with its backoff, and the new client subscribes
 * the connection's subscribers again. Sources and sinks only ever add or remove their own subscriptions: closing
 * the client is the pool's business (delete, update, last anonymous reference gone).
 */
final class EdgexConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(EdgexConnection.class);

    /** Makes the bus client of a dial; {@code lost} is called when its link drops. */
    interface Clients {
        BusClient create(BusSettings settings, ConnectionContext context, Consumer<String> lost);
    }

    private final BusSettings settings;
    private final ConnectionContext context;
    private final ConnectionScopes.Lease<Subscribers> subscribers;
    private final Clients clients;
    /** A dial sets client then reads closed, close() the reverse: a close during a dial closes the dial's client. */
    private volatile BusClient client;
    private volatile boolean closed;

    EdgexConnection(BusSettings settings, ConnectionContext context, ConnectionScopes.Lease<Subscribers> subscribers,
            Clients clients) {
        this.settings = settings;
        this.context = context;
        this.subscribers = subscribers;
        this.clients = clients;
    }

    @Override
    public void dial() throws ConnectionException {
        release(client);
        AtomicReference<BusClient> self = new AtomicReference<>();
        BusClient dialling = clients.create(settings, context, reason -> lost(self.get(), reason));
        self.set(dialling);
        client = dialling;
        if (closed) {
            dialling.close();
            throw ConnectionException.io("closed", null);
        }
        dialling.connect();
        subscribers.claim();
        subscribers.state().attach(dialling);
    }

    /** Called on the client's thread: the client is closed by the next dial (or close), not here. */
    private void lost(BusClient from, String reason) {
        if (!closed && from == client) {
            LOG.info("{}: {}", this, reason);
            subscribers.state().detach(from);
            context.statusSink().disconnected(reason);
        }
    }

    private void release(BusClient old) {
        if (old != null) {
            subscribers.state().detach(old);
            old.close();
        }
    }

    @Override
    public void ping() {
        // stateful: the client reports a lost link
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Publishes on the current client; fails (retryable) when there is none. */
    CompletableFuture<Void> publish(String topic, Envelope envelope) {
        BusClient current = client;
        if (current == null || closed) {
            return CompletableFuture.failedFuture(new IOException(this + " is not connected"));
        }
        return current.publish(topic, envelope);
    }

    @Override
    public void close() {
        closed = true;
        release(client);
        subscribers.close();
    }

    @Override
    public String toString() {
        return "edgex connection " + context.connectionId() + " to " + settings;
    }
}
