package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.testkit.Peers;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;
import io.tether.testkit.WebSocketTestServer;

/**
 * wss: a server with a self-signed certificate for 127.0.0.1 (made with the JDK's keytool) is reached when the
 * props trust it ({@code rootCaPath}) or trust anything ({@code insecureSkipVerify}), and refused otherwise.
 */
class TlsClientTest {
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path directory;
    private static Path certificate;
    private static WebSocketTestServer server;
    private final WebSocketRuntime runtime = new WebSocketRuntime();
    private TestPool pool;

    @BeforeAll
    static void startServer() throws Exception {
        Path keyStore = directory.resolve("server.p12");
        certificate = directory.resolve("server.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = WebSocketTestServer.tls(Peers.freePort(), tls);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        runtime.stop();
    }

    @Test
    void aServerCertificateTrustedThroughRootCaPathIsAccepted() throws Exception {
        assertDataFlows(Map.of("rootCaPath", certificate.toString()));
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() throws Exception {
        assertDataFlows(Map.of("insecureSkipVerify", "true"));
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        pool = pool();
        pool.create("untrusted", WebSocketConnectorFactory.TYPE, Map.of("addr", "127.0.0.1:" + server.port(),
                "scheme", "wss"));
        String err = pool.awaitStatus("untrusted", Status.DISCONNECTED).status().err();
        assertTrue(err.startsWith("websocket connection untrusted to wss://127.0.0.1:" + server.port() + "/: "), err);
    }

    private void assertDataFlows(Map<String, Object> tlsProps) throws Exception {
        pool = pool();
        Map<String, Object> props = new HashMap<>(tlsProps);
        props.put("addr", "127.0.0.1:" + server.port());
        props.put("scheme", "wss");
        pool.create("secure", WebSocketConnectorFactory.TYPE, props);
        pool.awaitStatus("secure", Status.CONNECTED);
        try (RecordingSourceContext source = new RecordingSourceContext(pool, "rule", "source_rule")) {
            source.open(new WebSocketSourceProvider(runtime).create("/",
                    Map.of(ConnectionPool.CONNECTION_SELECTOR, "secure")));
            Poll.until("a frame arrives over TLS", () -> {
                server.broadcast("secret-sauce");
                try {
                    return "secret-sauce".equals(source.next(Duration.ofMillis(100)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private TestPool pool() {
        TestPool created = TestPool.create();
        created.addType(WebSocketConnectorFactory.TYPE, new WebSocketConnectorFactory(runtime),
                getClass().getResource("/" + WebSocketConnectorFactory.SCHEMA));
        return created;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
