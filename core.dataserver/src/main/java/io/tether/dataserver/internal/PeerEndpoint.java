package io.tether.dataserver.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;

/**
 * One WebSocket connection, as Jetty's listener and as the endpoint's handler sees it (public: Jetty calls it through
 * method handles). It demands each message explicitly, once the handler took the one before: a client faster than
 * the handler is held back by the TCP window instead of being buffered. While it waits for the handler, Jetty's idle
 * timeout does not close it: the client is waiting for us, not idle.
 */
public final class PeerEndpoint implements Session.Listener, WebSocketPeer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerEndpoint.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "ws-" + IDS.incrementAndGet();
    private final WebSocketHandler handler;
    private volatile Session session;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Handler stages not completed yet: while there is one, no frame is read, so an idle timeout is ours. */
    private final AtomicInteger withheld = new AtomicInteger();
    /** When reading last resumed ({@link System#nanoTime()}), written before {@link #withheld} counts down. */
    private volatile long resumed = System.nanoTime();

    PeerEndpoint(WebSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        // idle is counted from when we read again: frames read ahead and parsed on demand mark no activity for Jetty
        opened.addIdleTimeoutListener(timeout -> withheld.get() == 0
                && System.nanoTime() - resumed >= opened.getIdleTimeout().toNanos());
        handler.onOpen(this);
        opened.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        CompletionStage<?> taken = handler.onText(this, text);
        if (taken == null) {
            session.demand();
        } else {
            withheld.incrementAndGet();
            taken.whenComplete((ignored, failure) -> {
                session.demand();
                resumed = System.nanoTime();
                withheld.decrementAndGet();
            });
        }
    }

    /**
     * A link that broke or idled out: the close that follows tells the handler (code and reason). Without this method
     * Jetty logs each one as an "Unhandled Error" warning, although a client going away is nothing to warn about.
     */
    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket {} from {}: {}", id, remoteAddress(), cause.toString());
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        closed.complete(null);
        handler.onClose(this, code, reason == null ? "" : reason);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        Session current = session;
        if (current == null) {
            return "";
        }
        SocketAddress address = current.getRemoteSocketAddress();
        return address instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(address);
    }

    @Override
    public CompletionStage<Void> sendText(String text) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Session current = session;
        if (current == null || !current.isOpen()) {
            sent.completeExceptionally(new IllegalStateException("WebSocket " + id + " is closed"));
            return sent;
        }
        current.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        return sent;
    }

    @Override
    public void close(int code, String reason) {
        closing(code, reason);
    }

    /**
     * Closes as {@link #close} does; completes once the close handshake is over (the peer answered, or the connection
     * ended), so that stopping the listener afterwards cannot cut the close frame off.
     */
    CompletableFuture<Void> closing(int code, String reason) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        current.close(code, reason, Callback.NOOP);
        return closed;
    }

    @Override
    public boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen();
    }

    @Override
    public String toString() {
        return "WebSocket " + id + " from " + remoteAddress();
    }
}
