package io.tether.dataserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;

/** The listener over TLS, from a key store or from PEM files, with a certificate made by the JDK's keytool. */
class TlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path directory;
    private static Path keyStore;
    private static Path certFile;
    private static Path keyFile;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = directory.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "dataserver", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore store = load();
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        certFile = Files.writeString(directory.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(store.getCertificate("dataserver").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Key key = store.getKey("dataserver", PASSWORD.toCharArray());
        keyFile = Files.writeString(directory.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void aKeyStoreMakesTheListenerHttps() throws Exception {
        assertServedOverTls(new Settings("127.0.0.1", 0, "", "", keyStore.toString(), PASSWORD, 1000, true, 8,
                30000));
    }

    @Test
    void pemCertificateAndKeyMakeTheListenerHttps() throws Exception {
        assertServedOverTls(new Settings("127.0.0.1", 0, certFile.toString(), keyFile.toString(), "", "", 1000, true,
                8, 30000));
    }

    @Test
    void anUnreadableKeyIsToldAndNothingIsRegistered() throws Exception {
        Path notAKey = Files.writeString(directory.resolve("bad.key"), "not a key");
        JettyDataServer server = new JettyDataServer(new Settings("127.0.0.1", 0, certFile.toString(),
                notAKey.toString(), "", "", 1000, true, 8, 30000));
        IOException refused = assertThrows(IOException.class,
                () -> server.httpEndpoint("/a", "POST", request -> EndpointResponse.text(200, "a")));
        assertTrue(refused.getMessage().contains("is not an unencrypted PKCS #8 PEM key"), refused.getMessage());
        assertTrue(!server.isRunning());
        server.shutdown();
    }

    private static void assertServedOverTls(Settings settings) throws Exception {
        JettyDataServer server = new JettyDataServer(settings);
        try (Registration ignored = server.httpEndpoint("/secure", "GET", request -> EndpointResponse.text(200,
                "secret data"))) {
            URI base = server.baseUri();
            assertEquals("https", base.getScheme());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            assertEquals(List.of(200, "secret data"), List.of(client.send(HttpRequest.newBuilder(
                    URI.create(base + "/secure")).build(), BodyHandlers.ofString()).statusCode(),
                    client.send(HttpRequest.newBuilder(URI.create(base + "/secure")).build(),
                            BodyHandlers.ofString()).body()));
        } finally {
            server.shutdown();
        }
    }

    private static KeyStore load() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
