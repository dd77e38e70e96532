package io.tether.websocket.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;
import io.tether.api.kit.ConnectionScopes;
import io.tether.websocket.internal.WebSocketRuntime.Receiver;

/**
 * Server mode: an endpoint {@code path} on the data server, registered by the dial and unregistered by close (which
 * closes its clients with the normal close code). Each text message of any client goes to every attached source; a
 * sink sends to every connected client.
 * <p>
 * The data server's threads must not wait, so each client's messages go through an {@link Inbox}: a runtime thread
 * hands them to the sources in order while the data server reads a few ahead; when the sources fall behind, it reads
 * the client's next message only once they took one: a fast client is held back by the TCP window, and nothing is
 * dropped. Stateful: the data server leaving is reported as a lost link, and its return makes the pool
 * dial again at once.
 */
final class ServerConnection implements Connection, WebSocketLink {
    private final WebSocketSettings settings;
    private final ConnectionContext context;
    private final WebSocketRuntime runtime;
    private final ConnectionScopes.Lease<Set<Receiver>> receivers;
    /** Each connected client, and its messages on their way to the sources. */
    private final Map<WebSocketPeer, Inbox> inboxes = new ConcurrentHashMap<>();
    /** Inboxes of clients gone, still handing on what they read. */
    private final Set<Inbox> finishing = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Registration registration;
    /** Guarded by lock: the server the endpoint is registered on. */
    private DataServer server;
    /** Guarded by lock. */
    private boolean closed;

    ServerConnection(WebSocketSettings settings, ConnectionContext context, WebSocketRuntime runtime,
            ConnectionScopes.Lease<Set<Receiver>> receivers) {
        this.settings = settings;
        this.context = context;
        this.runtime = runtime;
        this.receivers = receivers;
        runtime.servers().add(this);
    }

    @Override
    public void dial() throws ConnectionException {
        DataServer dataServer = runtime.dataServer();
        if (dataServer == null) {
            throw ConnectionException.missingResource("the data server is not available");
        }
        unregister();
        Registration registered;
        try {
            registered = dataServer.webSocketEndpoint(settings.path(), new Handler());
        } catch (IllegalArgumentException e) {
            throw ConnectionException.permanent("cannot serve websocket " + settings + ": " + e.getMessage(), null);
        } catch (IOException e) {
            throw ConnectionException.io("cannot serve websocket " + settings + ": " + e.getMessage(), e);
        }
        synchronized (lock) {
            if (!closed) {
                registration = registered;
                server = dataServer;
                receivers.claim();
                return;
            }
        }
        registered.close();
        throw ConnectionException.io(this + " is closed", null);
    }

    /** Nothing to check: the data server's departure is reported. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Sends each payload to every connected client; completes once all have them (at once with no client). */
    @Override
    public CompletableFuture<Void> send(List<byte[]> payloads) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (WebSocketPeer peer : inboxes.keySet()) {
            for (byte[] payload : payloads) {
                // a client gone meanwhile is not the sink's failure: the others still get the record
                sends.add(peer.sendText(new String(payload, UTF_8)).toCompletableFuture()
                        .exceptionally(gone -> null));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        finishing.forEach(Inbox::close);
        runtime.servers().remove(this);
        // closes the clients' inboxes too (retire, the connection being closed)
        unregister();
        receivers.close();
    }

    @Override
    public String toString() {
        return "websocket connection " + context.connectionId() + " serving " + settings;
    }

    void dataServerArrived() {
        context.statusSink().retryNow();
    }

    void dataServerLeft(DataServer left) {
        Registration registered;
        synchronized (lock) {
            if (closed || server != left) {
                return;
            }
            registered = registration;
            registration = null;
            server = null;
        }
        // gone with its server, most likely; a server that only left the registry would keep serving it
        registered.close();
        List.copyOf(inboxes.keySet()).forEach(this::retire);
        context.statusSink().disconnected("the data server stopped");
    }

    private void unregister() {
        Registration registered;
        synchronized (lock) {
            registered = registration;
            registration = null;
            server = null;
        }
        if (registered != null) {
            registered.close();
        }
        List.copyOf(inboxes.keySet()).forEach(this::retire);
    }

    /** Hands a message to every source, waiting until each one's rule took it. */
    private void deliver(byte[] payload) throws InterruptedException {
        if (receivers.isCurrent()) {
            for (Receiver receiver : receivers.state()) {
                receiver.receive(payload);
            }
        }
    }

    /**
     * The client is gone (or went with the endpoint): it gets no more sink records, and what it sent still reaches the
     * sources unless the connection itself is closed.
     */
    private void retire(WebSocketPeer peer) {
        Inbox inbox;
        boolean connectionClosed;
        synchronized (lock) {
            inbox = inboxes.remove(peer);
            connectionClosed = closed;
            if (inbox != null && !connectionClosed) {
                finishing.add(inbox);
            }
        }
        if (inbox == null) {
            return;
        }
        if (connectionClosed) {
            inbox.close();
        } else {
            inbox.finish(() -> finishing.remove(inbox));
        }
    }

    private final class Handler implements WebSocketHandler {
        @Override
        public void onOpen(WebSocketPeer peer) {
            Inbox inbox = new Inbox(runtime.threads(), ServerConnection.this::deliver);
            synchronized (lock) {
                if (!closed) {
                    inboxes.put(peer, inbox);
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocketPeer peer, String text) {
            Inbox inbox = inboxes.get(peer);
            return inbox == null ? null : inbox.add(text.getBytes(UTF_8));
        }

        @Override
        public void onClose(WebSocketPeer peer, int code, String reason) {
            retire(peer);
        }
    }
}
