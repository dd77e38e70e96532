package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Issue 13, point 5: the management port serves HTTPS from a configured keystore (made here with keytool, for
 * 127.0.0.1), and with plain HTTP turned off nothing answers on the HTTP port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagementPortServesTlsFromAKeystoreIT {

    private static final String STORE_PASSWORD = "it-store-" + "pw";
    private static final String SECURE_PORT = "org.osgi.service.http.port.secure";

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        Option[] options = TetherRuntime.options(ManagementPortServesTlsFromAKeystoreIT.class,
                TetherRuntime.HTTP_EDGE);
        Path keystore = keystore();
        Files.deleteIfExists(keystore);
        Files.createDirectories(keystore.getParent());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "tether", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        String port = Integer.toString(TetherRuntime.freePort());
        List<Option> tls = new ArrayList<>();
        for (String[] property : new String[][] {
                { "org.apache.felix.https.enable", "true" },
                { "org.apache.felix.http.enable", "false" },
                { SECURE_PORT, port },
                { "org.apache.felix.https.keystore", keystore.toString() },
                { "org.apache.felix.https.keystore.type", "PKCS12" },
                { "org.apache.felix.https.keystore.password", STORE_PASSWORD },
                { "org.apache.felix.https.keystore.key.password", STORE_PASSWORD } }) {
            // framework properties only: system properties outlive this class's framework in the test JVM
            tls.add(frameworkProperty(property[0]).value(property[1]));
        }
        return OptionUtils.combine(options, tls.toArray(Option[]::new));
    }

    @Test
    public void theApiAnswersOverTlsAndNotOverPlainHttp() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore()))
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI secure = URI.create("https://127.0.0.1:" + context.getProperty(SECURE_PORT) + "/connections");
        HttpResponse<String> answer = Poll.await("GET /connections over TLS answers 200", Poll.PATIENCE, () -> {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(secure).GET().build(),
                        BodyHandlers.ofString());
                return response.statusCode() == 200 ? response : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, () -> "");
        assertEquals("[]", answer.body());
        assertFalse(answer.headers().firstValue("Content-Type").orElse("").isEmpty());

        URI plain = URI.create("http://127.0.0.1:" + context.getProperty(TetherRuntime.HTTP_PORT) + "/connections");
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(plain).GET().build(), BodyHandlers.ofString()));
    }

    private static Path keystore() {
        return new File(TetherRuntime.directory(ManagementPortServesTlsFromAKeystoreIT.class).getParentFile(),
                "tls-keystore.p12").toPath();
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        return ssl;
    }
}
