package io.tether.websocket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.tether.api.connection.ConnectionException;
import io.tether.api.dataserver.DataServer;
import io.tether.api.kit.ConnectionScopes;
import io.tether.websocket.internal.WebSocketSettings.Tls;

/**
 * What the bundle's factory, sources and sinks share: the sources listening per connection id, the threads that hand
 * received frames to them, the data server (optional: only server mode needs it), and the JDK HTTP clients that open the WebSockets, one per TLS setting. Java 17's
 * {@link HttpClient} cannot be closed: each one keeps a selector thread until it is garbage, so clients are shared
 * by every connection rather than made per connection, and dropped (their threads ending once collected; closed at
 * once on a JDK whose client is {@link AutoCloseable}) when the bundle stops.
 */
@Component(service = WebSocketRuntime.class)
public final class WebSocketRuntime {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How long an idle thread is kept for the next task. */
    private static final long IDLE_SECONDS = 2;

    private final ExecutorService threads;
    /** The clients' keep-alive ticks: one thread, ended when idle. */
    private final ScheduledThreadPoolExecutor timer;
    /** Guarded by itself. */
    private final Map<Tls, HttpClient> clients = new HashMap<>();
    private boolean stopped;
    private volatile DataServer dataServer;
    private final Set<ServerConnection> servers = ConcurrentHashMap.newKeySet();
    private final ConnectionScopes<Set<Receiver>> receivers =
            new ConnectionScopes<>(id -> ConcurrentHashMap.newKeySet());

    public WebSocketRuntime() {
        threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "tether-websocket-" + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "tether-websocket-timer-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A source's side of a connection. */
    interface Receiver {
        /** Takes one received message, waiting until its rule accepted it (or stops). */
        void receive(byte[] payload) throws InterruptedException;
    }

    /** The sources listening on each connection id, shared by its successive instances. */
    ConnectionScopes<Set<Receiver>> receivers() {
        return receivers;
    }

    /** Runs the HTTP clients' work and the hand-off of received frames to the sources. */
    ExecutorService threads() {
        return threads;
    }

    /** Runs the clients' keep-alive ticks, which only send a ping or report a loss (never wait). */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** The shared client for these TLS settings, made at its first use (a dial: it starts a thread). */
    HttpClient client(Tls tls) throws ConnectionException {
        synchronized (clients) {
            if (stopped) {
                throw ConnectionException.io("the websocket connector is stopping", null);
            }
            HttpClient client = clients.get(tls);
            if (client == null) {
                HttpClient.Builder builder = HttpClient.newBuilder().executor(threads);
                if (tls != Tls.NONE) {
                    builder.sslContext(sslContext(tls));
                }
                client = builder.build();
                clients.put(tls, client);
            }
            return client;
        }
    }

    /** The data server, while one is registered: server mode needs it, client mode does not. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDataServer(DataServer server) {
        dataServer = server;
        servers.forEach(ServerConnection::dataServerArrived);
    }

    void unbindDataServer(DataServer server) {
        if (dataServer == server) {
            dataServer = null;
            servers.forEach(connection -> connection.dataServerLeft(server));
        }
    }

    DataServer dataServer() {
        return dataServer;
    }

    /** The server-mode connections, told when the data server comes and goes. */
    Set<ServerConnection> servers() {
        return servers;
    }

    @Deactivate
    public void stop() {
        synchronized (clients) {
            stopped = true;
            for (HttpClient client : clients.values()) {
                if (client instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        // closing anyway
                    }
                }
            }
            clients.clear();
        }
        timer.shutdownNow();
        threads.shutdownNow();
    }

    private static SSLContext sslContext(Tls tls) throws ConnectionException {
        try {
            TrustManager[] trust;
            if (tls.insecureSkipVerify()) {
                trust = new TrustManager[] {new TrustingEveryone()};
            } else if (tls.rootCaPath() != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(Path.of(tls.rootCaPath()))) {
                    int n = 0;
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + n++, certificate);
                    }
                    if (n == 0) {
                        throw ConnectionException.permanent("rootCaPath " + tls.rootCaPath()
                                + " holds no certificate", null);
                    }
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = factory.getTrustManagers();
            } else {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw ConnectionException.permanent("cannot read rootCaPath " + tls.rootCaPath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Accepts every certificate: an extended trust manager, so that the JDK also skips its host name check (it runs
     * that check inside the trust manager).
     */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
