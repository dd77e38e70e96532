package io.tether.websocket.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The data server's threads must not wait, and a WebSocket server cannot ask its clients to pause, so messages wait
 * in an inbox, handed to the sources in arrival order by a runtime thread while there are any; beyond
 * {@link #INBOX_LIMIT} waiting messages, arriving ones are dropped and counted by every source's rule. Stateful: the
 * data server leaving is reported as a lost link, and its return makes the pool dial again at once.
 */
final class ServerConnection implements Connection, WebSocketLink {
    /** The most messages that wait for slow rules; beyond, arriving ones are dropped. */
    static final int INBOX_LIMIT = 10_000;

    private final WebSocketSettings settings;
    private final ConnectionContext context;
    private final WebSocketRuntime runtime;
    private final ConnectionScopes.Lease<Set<Receiver>> receivers;
    private final Set<WebSocketPeer> peers = ConcurrentHashMap.newKeySet();
    private final Queue<byte[]> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Registration registration;
    /** Guarded by lock: the server the endpoint is registered on. */
    private DataServer server;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock: the hand-off running, if any. */
    private Future<?> handingOff;

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
        for (WebSocketPeer peer : peers) {
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
            if (handingOff != null) {
                handingOff.cancel(true);
            }
        }
        runtime.servers().remove(this);
        unregister();
        inbox.clear();
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
        peers.clear();
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
        peers.clear();
    }

    private void received(byte[] payload) {
        if (waiting.incrementAndGet() > INBOX_LIMIT) {
            waiting.decrementAndGet();
            for (Receiver receiver : receivers.state()) {
                receiver.dropped(INBOX_LIMIT + " messages of " + settings + " are waiting for the rules already");
            }
            return;
        }
        inbox.add(payload);
        synchronized (lock) {
            if (closed || handingOff != null) {
                return;
            }
            try {
                handingOff = runtime.threads().submit(this::handOff);
            } catch (RejectedExecutionException bundleStopping) {
                handingOff = null;
            }
        }
    }

    /** Hands the waiting messages to every source, in arrival order, until none is left. */
    private void handOff() {
        try {
            while (true) {
                byte[] payload = inbox.poll();
                if (payload == null) {
                    synchronized (lock) {
                        if (inbox.isEmpty()) {
                            handingOff = null;
                            return;
                        }
                    }
                    continue;
                }
                waiting.decrementAndGet();
                if (receivers.isCurrent()) {
                    for (Receiver receiver : receivers.state()) {
                        receiver.receive(payload);
                    }
                }
            }
        } catch (InterruptedException closing) {
            // close() stops the hand-off: the waiting messages go with the connection
        }
    }

    private final class Handler implements WebSocketHandler {
        @Override
        public void onOpen(WebSocketPeer peer) {
            peers.add(peer);
        }

        @Override
        public void onText(WebSocketPeer peer, String text) {
            received(text.getBytes(UTF_8));
        }

        @Override
        public void onClose(WebSocketPeer peer, int code, String reason) {
            peers.remove(peer);
        }
    }
}
