package io.tether.conn.http.internal.push;

import java.io.IOException;
import java.util.Set;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionException;
import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.Registration;
import io.tether.api.io.SourceContext;
import io.tether.api.kit.ConnectionScopes;

/**
 * An endpoint on the data server: registered by the dial, unregistered by the close (its path answers 404 again).
 * Stateless: a ping checks the registration is there. The sources it fans out to live in the connection id's scope,
 * so that an instance replacing this one serves them.
 */
final class HttpPushConnection implements Connection {
    private final PushSettings settings;
    private final DataServer server;
    private final ConnectionScopes.Lease<Set<SourceContext>> sources;
    /** Guarded by this, as {@link #closed}. */
    private Registration registration;
    private boolean closed;

    HttpPushConnection(PushSettings settings, DataServer server, ConnectionScopes.Lease<Set<SourceContext>> sources) {
        this.settings = settings;
        this.server = server;
        this.sources = sources;
    }

    /**
     * @throws ConnectionException retryable when the endpoint is registered by another connection (an instance
     *                             being replaced lets go of it at once) or the data server cannot listen
     */
    @Override
    public synchronized void dial() throws ConnectionException {
        if (closed) {
            throw ConnectionException.io("httppush endpoint " + settings + " is closed", null);
        }
        if (registration != null) {
            return;
        }
        try {
            registration = server.httpEndpoint(settings.endpoint(), settings.method(),
                    new PushEndpoint(settings, sources.state()));
        } catch (IllegalArgumentException taken) {
            throw ConnectionException.io(taken.getMessage(), null);
        } catch (IOException e) {
            throw ConnectionException.io(e.getMessage(), e);
        }
        sources.claim();
    }

    @Override
    public synchronized void ping() throws ConnectionException {
        if (registration == null) {
            throw ConnectionException.io("httppush endpoint " + settings + " is not registered", null);
        }
    }

    @Override
    public void close() {
        Registration registered;
        synchronized (this) {
            closed = true;
            registered = registration;
            registration = null;
        }
        if (registered != null) {
            registered.close();
        }
        sources.close();
    }

    @Override
    public String toString() {
        return "httppush endpoint " + settings;
    }
}
