package io.tether.conn.http.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.tether.api.connection.ConnectionException;

/**
 * Java's HTTP clients of the connector, one per TLS setting (the only settings a {@link HttpClient} itself holds:
 * base URL, headers, timeouts and tokens are per request), shared by every {@code http} connection with that setting.
 * A Java 17 client cannot be stopped (its selector thread ends once the client is unreachable), so the connector
 * keeps the few it needs for its life instead of making and abandoning one per connection; {@link #close()} lets
 * them go when the connector stops. Their work runs on two threads of the connector's own per client.
 */
public final class JavaClients implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private record Tls(boolean insecureSkipVerify, String rootCaPath) {
    }

    private record Client(HttpClient client, ExecutorService executor) {
    }

    /** Guarded by itself. */
    private final Map<Tls, Client> clients = new HashMap<>();
    private boolean closed;

    /**
     * The client for the settings' TLS, made at first use.
     *
     * @throws ConnectionException when the root certificates cannot be read (missing file: retried; bad file: not)
     */
    public HttpClient client(HttpSettings settings) throws ConnectionException {
        Tls tls = new Tls(settings.insecureSkipVerify(), settings.rootCaPath());
        synchronized (clients) {
            if (closed) {
                throw ConnectionException.io("the http connector is stopping", null);
            }
            Client client = clients.get(tls);
            if (client == null) {
                client = create(tls);
                clients.put(tls, client);
            }
            return client.client();
        }
    }

    private static Client create(Tls tls) throws ConnectionException {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "tether-http-client-" + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // started now rather than on the first request: no thread appears later, in the middle of some connection's life
        executor.prestartAllCoreThreads();
        HttpClient.Builder builder = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER);
        try {
            if (tls.insecureSkipVerify() || tls.rootCaPath() != null) {
                builder.sslContext(sslContext(tls));
            }
            return new Client(builder.build(), executor);
        } catch (ConnectionException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    private static SSLContext sslContext(Tls tls) throws ConnectionException {
        try {
            TrustManager[] trust = tls.insecureSkipVerify() ? new TrustManager[] { new TrustingEveryone() }
                    : trustManagers(tls.rootCaPath());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw ConnectionException.permanent("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(String rootCaPath) throws ConnectionException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(rootCaPath))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw ConnectionException.missingResource("rootCaPath " + rootCaPath + " does not exist");
        } catch (IOException e) {
            throw ConnectionException.io("cannot read rootCaPath " + rootCaPath + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw ConnectionException.permanent("rootCaPath " + rootCaPath + " holds no valid PEM certificate: "
                    + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw ConnectionException.permanent("rootCaPath " + rootCaPath + " holds no certificate", null);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** Lets the clients go: their threads end (a Java 21+ client is closed; a Java 17 one ends once collected). */
    @Override
    public void close() {
        Map<Tls, Client> closing;
        synchronized (clients) {
            closed = true;
            closing = Map.copyOf(clients);
            clients.clear();
        }
        for (Client client : closing.values()) {
            if (client.client() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
            client.executor().shutdownNow();
        }
    }

    /** {@code insecureSkipVerify}: every certificate and host name is accepted. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

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
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
