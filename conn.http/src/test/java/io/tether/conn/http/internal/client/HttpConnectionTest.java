package io.tether.conn.http.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.tether.api.connection.ConnectionException;
import io.tether.testkit.Peers;
import io.tether.testkit.QuietContext;

/** One connection's dial and ping (HEAD, GET when HEAD is refused), its URLs, its TLS settings, the check. */
class HttpConnectionTest {
    @TempDir
    static Path keys;
    private static HttpsServer tls;
    private static Path certificate;

    private TestServer server;
    private final HttpConnectorFactory factory = new HttpConnectorFactory();

    /**
     * A server with a self-signed certificate for 127.0.0.1 (made once with {@code keytool -genkeypair -keyalg EC
     * -ext SAN=ip:127.0.0.1,dns:localhost -validity 36500}; its certificate exported as PEM beside it).
     */
    @BeforeAll
    static void startTlsServer() throws Exception {
        certificate = keys.resolve("server.pem");
        try (InputStream pem = HttpConnectionTest.class.getResourceAsStream("/tls-server.pem")) {
            Files.copy(pem, certificate);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = HttpConnectionTest.class.getResourceAsStream("/tls-server.p12")) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(context));
        tls.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        tls.start();
    }

    @AfterAll
    static void stopTlsServer() {
        tls.stop(0);
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
        factory.deactivate();
    }

    private HttpConnection connection(Map<String, Object> props) {
        assertEquals(List.of(), factory.validate(props));
        return (HttpConnection) factory.create(props, new QuietContext("test"));
    }

    @Test
    void aServerThatRefusesHeadIsProbedWithGet() throws Exception {
        server.answer("/status", new TestServer.Answer(405, "", Duration.ZERO));
        HttpConnection connection = connection(Map.of("url", server.url() + "/status"));
        try {
            connection.dial();
            connection.ping();
        } finally {
            connection.close();
        }
        List<String> methods = server.all.stream().map(TestServer.Request::method).toList();
        assertEquals(List.of("HEAD", "GET", "HEAD", "GET"), methods);
    }

    @Test
    void anyAnswerMeansTheServerIsThereAndNoAnswerFailsRetryably() throws Exception {
        server.answer("/", new TestServer.Answer(500, "", Duration.ZERO));
        HttpConnection up = connection(Map.of("url", server.url()));
        try {
            up.dial();
        } finally {
            up.close();
        }
        HttpConnection down = connection(Map.of("url", "http://127.0.0.1:" + Peers.freePort()));
        try {
            ConnectionException refused = assertThrows(ConnectionException.class, down::dial);
            assertTrue(refused.isRetryable(), refused.getMessage());
        } finally {
            down.close();
        }
    }

    @Test
    void nodeUrlsAreResolvedUnderTheConnectionsUrl() {
        HttpConnection connection = connection(Map.of("url", server.url() + "/api"));
        try {
            assertEquals(URI.create(server.url() + "/api"), connection.resolve(null));
            assertEquals(URI.create(server.url() + "/api/items"), connection.resolve("items"));
            assertEquals(URI.create(server.url() + "/api/items"), connection.resolve("/items"));
            assertEquals(URI.create(server.url() + "/other"), connection.resolve(server.url() + "/other"));
            assertThrows(IllegalArgumentException.class, () -> connection.resolve("http://127.0.0.2:1/x"));
        } finally {
            connection.close();
        }
    }

    @Test
    void tlsTrustsTheJvmsCertificatesOrTheRootCaPathOrEveryone() throws Exception {
        String url = "https://127.0.0.1:" + tls.getAddress().getPort();
        HttpConnection strict = connection(Map.of("url", url));
        try {
            assertThrows(ConnectionException.class, strict::dial, "a self-signed certificate is not trusted");
        } finally {
            strict.close();
        }
        for (Map<String, Object> props : List.<Map<String, Object>>of(
                Map.of("url", url, "rootCaPath", certificate.toString()),
                Map.of("url", url, "insecureSkipVerify", "true"))) {
            HttpConnection trusting = connection(props);
            try {
                trusting.dial();
            } finally {
                trusting.close();
            }
        }
        HttpConnection missing = connection(Map.of("url", url, "rootCaPath", keys.resolve("none.pem").toString()));
        try {
            ConnectionException failed = assertThrows(ConnectionException.class, missing::dial);
            assertTrue(failed.isMissingResource(), failed.getMessage());
        } finally {
            missing.close();
        }
    }

    @Test
    void theCheckDialsAndKeepsNothing() throws Exception {
        assertTrue(factory.supportsCheck());
        factory.check(Map.of("url", server.url()), Duration.ofSeconds(2));
        ConnectionException unreachable = assertThrows(ConnectionException.class,
                () -> factory.check(Map.of("url", "http://127.0.0.1:" + Peers.freePort()), Duration.ofSeconds(2)));
        assertTrue(unreachable.isRetryable());
        ConnectionException invalid = assertThrows(ConnectionException.class,
                () -> factory.check(Map.of("url", "mailto:x"), Duration.ofSeconds(2)));
        assertFalse(invalid.isRetryable());
    }
}
