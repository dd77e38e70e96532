package io.tether.dataserver.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;
import io.tether.api.dataserver.WebSocketPeer;

/**
 * The data server on an embedded Jetty 12: one listener, started by the first registration and stopped with the
 * last, serving every registered HTTP and WebSocket endpoint.
 */
public final class JettyDataServer implements DataServer {
    private static final Logger LOG = LoggerFactory.getLogger(JettyDataServer.class);
    private static final int NORMAL_CLOSE = 1000;
    private static final Duration CLOSE_FRAME_WAIT = Duration.ofSeconds(1);
    private static final int GOING_AWAY = 1001;

    private final Object lock = new Object();
    private final Endpoints endpoints = new Endpoints();
    /** Stops the listener once the close handshakes of an unregistered endpoint ended; its thread ends when idle. */
    private final Executor stopper = newStopper();
    /** Guarded by {@link #lock}, as the fields below. */
    private Settings settings;
    private Server server;
    private int boundPort;
    private boolean shutDown;
    /** Unregistered WebSocket endpoints whose clients' close handshakes may still be under way. */
    private int closing;

    JettyDataServer(Settings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    /** A data server on 127.0.0.1 and a free port, with CORS on: for tests outside this bundle (core.testkit). */
    public static JettyDataServer onLoopback(long maxBodyBytes) {
        return new JettyDataServer(new Settings("127.0.0.1", 0, "", "", "", "", maxBodyBytes, true, 32, 30000));
    }

    @Override
    public Registration httpEndpoint(String path, String method, HttpEndpointHandler handler) throws IOException {
        Endpoints.checkPath(path);
        String upper = Endpoints.checkMethod(method);
        Objects.requireNonNull(handler, "handler");
        synchronized (lock) {
            checkNotShutDown();
            endpoints.checkHttp(path, upper);
            ensureStarted();
            endpoints.addHttp(path, upper, handler);
        }
        LOG.debug("data server endpoint {} {} registered", upper, path);
        return new Once(() -> {
            synchronized (lock) {
                endpoints.removeHttp(path, upper, handler);
                stopWhenUnused();
            }
        });
    }

    @Override
    public Registration webSocketEndpoint(String path, WebSocketHandler handler) throws IOException {
        Endpoints.checkPath(path);
        Objects.requireNonNull(handler, "handler");
        PeerSet peers = new PeerSet(handler);
        synchronized (lock) {
            checkNotShutDown();
            endpoints.checkWebSocket(path);
            ensureStarted();
            endpoints.addWebSocket(path, peers);
        }
        LOG.debug("data server WebSocket endpoint {} registered", path);
        return new Once(() -> {
            synchronized (lock) {
                endpoints.removeWebSocket(path, peers);
                stopAfter(peers.closeAll(NORMAL_CLOSE, "endpoint closed"), "WebSocket endpoint " + path);
            }
        });
    }

    /**
     * Stops the listener, if nothing uses it any more, once the close handshakes end (within the bound): a stop right
     * away would cut the connections before them (1006). The caller holds the lock.
     */
    private void stopAfter(CompletableFuture<Void> handshakes, String closed) {
        if (handshakes.isDone()) {
            stopWhenUnused();
            return;
        }
        closing++;
        handshakes.thenApply(done -> true)
                .completeOnTimeout(false, CLOSE_FRAME_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenAcceptAsync(allDone -> closed(closed, allDone), stopper);
    }

    private void closed(String what, boolean allDone) {
        if (!allDone) {
            LOG.debug("data server {}: close handshakes not all done within {}", what, CLOSE_FRAME_WAIT);
        }
        synchronized (lock) {
            closing--;
            stopWhenUnused();
        }
    }

    @Override
    public URI baseUri() {
        synchronized (lock) {
            int port = server != null ? boundPort : settings.port();
            String host = settings.address().contains(":") ? "[" + settings.address() + "]" : settings.address();
            return URI.create((settings.tls() ? "https" : "http") + "://" + host + ":" + port);
        }
    }

    /** Applies new settings: a running listener is restarted with them (open WebSocket connections are closed). */
    public void reconfigure(Settings changed) throws IOException {
        synchronized (lock) {
            if (changed.equals(settings)) {
                return;
            }
            settings = changed;
            if (server != null) {
                stopServer();
                ensureStarted();
            }
        }
    }

    /**
     * Stops the listener for good; registrations made afterwards are refused. The clients of WebSocket endpoints still
     * registered are closed normally, and close handshakes still under way (an endpoint unregistered just before,
     * e.g. by the bundle whose leaving releases this server) end first: the listener stops once they did, within the
     * bound, not at once.
     */
    public void shutdown() {
        synchronized (lock) {
            shutDown = true;
            // endpoints whose owners have not unregistered them yet (a connection closing in the background, say):
            // their clients are closed normally too before the listener stops
            stopAfter(CompletableFuture.allOf(endpoints.webSockets().stream()
                    .map(handler -> ((PeerSet) handler).closeAll(NORMAL_CLOSE, "data server stopping"))
                    .toArray(CompletableFuture[]::new)), "stop");
        }
    }

    /** Whether the listener runs (for tests). */
    boolean isRunning() {
        synchronized (lock) {
            return server != null;
        }
    }

    /** Whether a stop waits for the close handshakes of an unregistered endpoint's clients (for tests). */
    boolean isStopPending() {
        synchronized (lock) {
            return closing > 0;
        }
    }

    private void checkNotShutDown() {
        if (shutDown) {
            throw new IllegalStateException("the data server is stopped");
        }
    }

    private void ensureStarted() throws IOException {
        if (server != null) {
            return;
        }
        Server starting = newServer(settings);
        try {
            starting.start();
        } catch (Exception e) {
            stopQuietly(starting);
            throw new IOException("data server cannot listen on " + settings + ": " + message(e), e);
        }
        server = starting;
        boundPort = ((ServerConnector) starting.getConnectors()[0]).getLocalPort();
        LOG.info("data server listening on {}", baseUri());
    }

    private void stopWhenUnused() {
        if ((endpoints.isEmpty() || shutDown) && closing == 0) {
            stopServer();
        }
    }

    private void stopServer() {
        Server stopping = server;
        if (stopping == null) {
            return;
        }
        server = null;
        stopQuietly(stopping);
        LOG.info("data server stopped");
    }

    private Server newServer(Settings current) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(current.maxThreads(), 2);
        threads.setName("tether-dataserver");
        threads.setDaemon(true);
        Server created = new Server(threads);
        created.addBean(new ScheduledExecutorScheduler("tether-dataserver-scheduler", true));
        created.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setHttpCompliance(HttpCompliance.RFC7230);
        ServerConnector connector;
        if (current.tls()) {
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(created, 1, 1,
                    new SslConnectionFactory(Tls.serverContext(current), "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(created, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(current.address());
        connector.setPort(current.port());
        connector.setIdleTimeout(current.idleTimeoutMillis());
        created.addConnector(connector);

        ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(created);
        webSockets.setMaxTextMessageSize(current.maxBodyBytes());
        webSockets.setMaxBinaryMessageSize(current.maxBodyBytes());
        webSockets.setIdleTimeout(Duration.ofMillis(Math.max(current.idleTimeoutMillis(), 0)));

        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setDefaultResponseMimeType("text/plain");
        created.setErrorHandler(errors);
        created.setHandler(new DataHandler(endpoints, webSockets, current.maxBodyBytes(), current.cors()));
        return created;
    }

    private static Executor newStopper() {
        return new ThreadPoolExecutor(0, 1, 100, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "tether-dataserver-stop");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("data server did not stop cleanly: {}", message(e));
        }
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** A registration that unregisters once. */
    private static final class Once implements Registration {
        private final Runnable unregister;
        private boolean closed;

        Once(Runnable unregister) {
            this.unregister = unregister;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            unregister.run();
        }
    }

    /** A WebSocket endpoint's handler with the peers connected to it, so that its registration can close them. */
    static final class PeerSet implements WebSocketHandler {
        private final WebSocketHandler handler;
        private final Set<PeerEndpoint> peers = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        PeerSet(WebSocketHandler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocketPeer peer) {
            if (closed) {
                peer.close(GOING_AWAY, "endpoint closed");
                return;
            }
            peers.add((PeerEndpoint) peer);
            call(() -> handler.onOpen(peer));
        }

        @Override
        public CompletionStage<?> onText(WebSocketPeer peer, String text) {
            if (closed) {
                return null;
            }
            try {
                return handler.onText(peer, text);
            } catch (RuntimeException e) {
                LOG.warn("a WebSocket endpoint's handler failed: {}", e.toString());
                return null;
            }
        }

        @Override
        public void onClose(WebSocketPeer peer, int code, String reason) {
            if (peers.remove(peer)) {
                call(() -> handler.onClose(peer, code, reason));
            }
        }

        CompletableFuture<Void> closeAll(int code, String reason) {
            closed = true;
            return CompletableFuture.allOf(peers.stream().map(peer -> peer.closing(code, reason))
                    .toArray(CompletableFuture[]::new));
        }

        private static void call(Runnable callback) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("a WebSocket endpoint's handler failed: {}", e.toString());
            }
        }
    }
}
