package io.tether.websocket.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.kit.ConnectionScopes;
import io.tether.websocket.internal.WebSocketRuntime.Receiver;

/**
 * Client mode: one {@link WebSocket} (JDK) to {@code scheme://addr path}, shared by the sources and sinks of the
 * connection. Stateful: a close from the peer or a broken link is reported to the pool, which dials again with its
 * backoff; the sources stay in the connection id's scope and receive again once the new socket is open.
 * <p>
 * Backpressure: the messages go through an {@link Inbox}, which hands them to the sources on a runtime thread (never
 * on the HTTP client's threads) while the socket is asked for the next few; when the sources fall behind, the socket
 * is asked for the next one only once they took one (their rules accepted it), so a full rule holds back the peer
 * through TCP.
 * <p>
 * Keep-alive: every {@code pingInterval} the client pings the server, and reports the link lost when no frame came
 * in since the last ping ({@code no pong within N ms}), as a closed link is reported: a frozen peer or a dropped NAT
 * entry is otherwise noticed only when TCP gives up. While a rule holds back a message the socket reads nothing (a
 * pong would wait behind it), so that time does not count.
 */
final class ClientConnection implements Connection, WebSocketLink {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** The close code of a normal close (RFC 6455 §7.4.1). */
    static final int NORMAL_CLOSURE = WebSocket.NORMAL_CLOSURE;

    private final WebSocketSettings settings;
    private final ConnectionContext context;
    private final WebSocketRuntime runtime;
    private final ConnectionScopes.Lease<Set<Receiver>> receivers;
    private final Object lock = new Object();
    /** Guarded by lock: the open socket, null while dialling or after a loss. */
    private WebSocket socket;
    /** Guarded by lock: what a dial in progress waits for; failed by close. */
    private CompletableFuture<WebSocket> opening;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock: the open socket's messages on their way to the sources. */
    private Inbox inbox;
    /** Inboxes of lost sockets, still handing on what was read before the loss; closed by close. */
    private final Set<Inbox> finishing = ConcurrentHashMap.newKeySet();
    /** Guarded by lock: the last send, which the next one follows (the JDK socket takes one at a time). */
    private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);
    /** Guarded by lock: the keep-alive ticks of the open socket; null when off or not open. */
    private ScheduledFuture<?> keepAlive;

    ClientConnection(WebSocketSettings settings, ConnectionContext context, WebSocketRuntime runtime,
            ConnectionScopes.Lease<Set<Receiver>> receivers) {
        this.settings = settings;
        this.context = context;
        this.runtime = runtime;
        this.receivers = receivers;
    }

    @Override
    public void dial() throws ConnectionException {
        HttpClient client = runtime.client(settings.tls());
        CompletableFuture<WebSocket> waiting = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw ConnectionException.io(this + " is closed", null);
            }
            opening = waiting;
        }
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(context.dialTimeout());
        Reader reader = new Reader();
        CompletableFuture<WebSocket> build;
        try {
            settings.requestHeader().forEach(builder::header);
            build = builder.buildAsync(settings.uri(), reader);
        } catch (IllegalArgumentException e) {
            // a header the JDK does not allow (restricted, or not a valid name)
            throw ConnectionException.permanent(this + ": " + e.getMessage(), null);
        }
        build.whenComplete((opened, failure) -> {
            if (failure != null) {
                waiting.completeExceptionally(failure);
            } else if (!waiting.complete(opened)) {
                // closed (or timed out) meanwhile: nobody will use it
                opened.abort();
            }
        });
        WebSocket opened;
        try {
            opened = waiting.get(context.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiting.cancel(false);
            throw ConnectionException.io(this + ": dial interrupted", null);
        } catch (TimeoutException e) {
            waiting.cancel(false);
            throw ConnectionException.io(this + ": no answer within " + context.dialTimeout().toMillis() + " ms",
                    null);
        } catch (ExecutionException | CancellationException e) {
            throw failure(e.getCause() == null ? e : e.getCause());
        }
        synchronized (lock) {
            opening = null;
            if (closed) {
                opened.abort();
                throw ConnectionException.io(this + " is closed", null);
            }
            if (reader.lostReason != null) {
                opened.abort();
                throw ConnectionException.io(this + ": " + reader.lostReason, null);
            }
            socket = opened;
            inbox = new Inbox(runtime.threads(), this::deliver);
            lastSend = CompletableFuture.completedFuture(null);
            keepAlive(opened, reader);
        }
        receivers.claim();
        opened.request(1);
    }

    /** Nothing to check: the socket reports a close or a broken link. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    @Override
    public CompletableFuture<Void> send(List<byte[]> payloads) {
        synchronized (lock) {
            WebSocket open = socket;
            if (open == null) {
                return CompletableFuture.failedFuture(new IOException(this + " is not open"));
            }
            CompletableFuture<Void> sent = lastSend.exceptionally(earlierFailed -> null);
            for (byte[] payload : payloads) {
                String text = new String(payload, UTF_8);
                sent = sent.thenCompose(done -> open.sendText(text, true)).thenApply(done -> null);
            }
            lastSend = sent;
            return sent.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                    new IOException(this + ": " + reason(failure), failure)));
        }
    }

    @Override
    public void close() {
        WebSocket open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = socket;
            socket = null;
            if (opening != null) {
                opening.completeExceptionally(ConnectionException.io(this + " is closed", null));
            }
            if (inbox != null) {
                inbox.close();
                inbox = null;
            }
            stopKeepAlive();
        }
        finishing.forEach(Inbox::close);
        if (open != null) {
            // a normal close; abort if the peer does not answer (a frozen link) rather than wait for it
            open.sendClose(NORMAL_CLOSURE, "").orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((done, failure) -> open.abort());
        }
        receivers.close();
    }

    @Override
    public String toString() {
        return "websocket connection " + context.connectionId() + " to " + settings;
    }

    private ConnectionException failure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectionException connection) {
            return connection;
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String message = this + ": the server refused the websocket handshake with status " + status;
            // a missing endpoint or refused credentials do not mend by themselves, but a restarting server may
            // answer 5xx for a while
            return status >= 500 ? ConnectionException.io(message, null) : ConnectionException.permanent(message, null);
        }
        return ConnectionException.io(this + ": " + reason(cause), null);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** Called with the lock held: pings {@code open} every {@code pingInterval}, unless it is 0. */
    private void keepAlive(WebSocket open, Reader reader) {
        long interval = settings.pingInterval();
        if (interval == 0) {
            return;
        }
        try {
            keepAlive = runtime.timer().scheduleWithFixedDelay(() -> tick(open, reader), interval, interval,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException bundleStopping) {
            keepAlive = null;
        }
    }

    /** Called with the lock held. */
    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    /** Reports the link lost if the last ping went unanswered, else pings again. */
    private void tick(WebSocket open, Reader reader) {
        synchronized (lock) {
            if (closed || open != socket) {
                return;
            }
            if (inbox != null && inbox.withholding()) {
                // nothing is read while a rule holds back a message: a pong cannot come in
                reader.pinged = false;
                return;
            }
        }
        if (reader.pinged && !reader.heard) {
            lost(open, "no pong within " + settings.pingInterval() + " ms");
            return;
        }
        reader.heard = false;
        reader.pinged = true;
        try {
            // a failed send is reported by the socket itself, or by the next tick
            open.sendPing(ByteBuffer.allocate(0));
        } catch (IllegalStateException earlierPingStillQueued) {
            // the next tick finds no pong
        }
    }

    /** The socket was closed by the peer or broke: tells the pool, which dials again. */
    private void lost(WebSocket from, String reason) {
        synchronized (lock) {
            if (closed || from != socket) {
                return;
            }
            socket = null;
            finishLater(inbox);
            inbox = null;
            stopKeepAlive();
        }
        from.abort();
        LOG.info("{}: link lost: {}", this, reason);
        context.statusSink().disconnected(settings + ": " + reason);
    }

    /**
     * Called with the lock held: what the lost socket's peer sent before the loss (a close after a burst, say) still
     * goes to the sources, until the connection closes.
     */
    private void finishLater(Inbox lostInbox) {
        if (lostInbox != null) {
            finishing.add(lostInbox);
            lostInbox.finish(() -> finishing.remove(lostInbox));
        }
    }

    /** Queues one message for the sources, and asks the socket for the next once there is room. */
    private void handOff(WebSocket from, byte[] payload) {
        Inbox current;
        synchronized (lock) {
            if (closed || from != socket) {
                return;
            }
            current = inbox;
        }
        CompletionStage<Void> room = current.add(payload);
        if (room == null) {
            from.request(1);
        } else {
            room.thenRun(() -> readOn(from));
        }
    }

    private void readOn(WebSocket from) {
        synchronized (lock) {
            if (closed || from != socket) {
                return;
            }
        }
        from.request(1);
    }

    /** Hands a message to every source, waiting until each one's rule took it. */
    private void deliver(byte[] payload) throws InterruptedException {
        if (receivers.isCurrent()) {
            for (Receiver receiver : receivers.state()) {
                receiver.receive(payload);
            }
        }
    }

    /** The JDK socket's callbacks; each one counts against the one message asked for. */
    private final class Reader implements WebSocket.Listener {
        /** Set before the loss is reported, so that a dial that has not returned yet sees it too. */
        volatile String lostReason;
        /** Keep-alive: a ping was sent at the last tick, and whether any frame came in since. */
        volatile boolean pinged;
        volatile boolean heard;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            // the dial asks for the first message once the socket is the connection's
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            heard = true;
            text.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            byte[] payload = text.toString().getBytes(UTF_8);
            text.setLength(0);
            handOff(webSocket, payload);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            heard = true;
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            byte[] payload = binary.toByteArray();
            binary.reset();
            handOff(webSocket, payload);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            heard = true;
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            heard = true;
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lostReason = "the peer closed the link (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")";
            lost(webSocket, lostReason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lostReason = reason(error);
            lost(webSocket, lostReason);
        }
    }
}
