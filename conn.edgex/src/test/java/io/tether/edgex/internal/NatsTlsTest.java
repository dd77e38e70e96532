package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.nats.client.Options;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.lib.mqtt.TlsSettings;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * The NATS buses with {@code protocol: ssl} against a private {@code nats-server} that requires TLS and a client
 * certificate of its CA ({@code --tlsverify}): the optional {@code CaFile}, {@code CertFile} and {@code KeyFile} are
 * used, and a server or a client the other side does not trust is refused with the reason.
 */
class NatsTlsTest {
    private static final String TOPIC = "edgex/events/device/tls";

    @TempDir
    Path directory;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final EdgexSourceProvider sources = new EdgexSourceProvider();
    private TestCertificates certificates;
    private NatsServer server;
    private TestPool pool;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(TestCertificates.opensslAvailable(), "openssl makes the test's certificates");
        certificates = TestCertificates.make(Files.createDirectories(directory.resolve("pki")));
        server = NatsServer.start(directory.resolve("nats"), List.of("--tlsverify",
                "--tlscert", certificates.serverCert.toString(), "--tlskey", certificates.serverKey.toString(),
                "--tlscacert", certificates.caCert.toString()));
        closing.add(server);
        pool = TestPool.builder().dialTimeout(Duration.ofSeconds(8)).build();
        closing.add(pool);
        pool.addType(EdgexConnectorFactory.TYPE, new EdgexConnectorFactory(sources),
                getClass().getResource("/" + EdgexConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private void connection(String id, String type, Map<String, Object> optional) {
        Map<String, Object> props = new HashMap<>();
        props.put("protocol", "ssl");
        props.put("type", type);
        props.put("server", "127.0.0.1");
        props.put("port", server.port());
        props.put("optional", optional);
        pool.create(id, EdgexConnectorFactory.TYPE, props);
    }

    private Map<String, Object> trustedClient() {
        return Map.of("CaFile", certificates.caCert.toString(), "CertFile", certificates.clientCert.toString(),
                "KeyFile", certificates.clientKey.toString());
    }

    private Device device() throws Exception {
        TlsSettings tls = new TlsSettings(certificates.caCert.toString(), certificates.clientCert.toString(),
                certificates.clientKey.toString(), false);
        Device device = new Device(new Options.Builder().server("tls://127.0.0.1:" + server.port())
                .sslContext(tls.sslContext()).build());
        closing.add(device);
        return device;
    }

    /** Waits until the connection, still not connected, reports an error with the reason, and returns it. */
    private String refusal(String id, String reason) {
        return Poll.await(id + " refused: " + reason, Poll.PATIENCE, () -> {
            ConnectionInfo info = pool.info(id);
            return info.status().status() != Status.CONNECTED && info.status().err() != null
                    && info.status().err().contains(reason) ? info.status().err() : null;
        }, () -> pool.info(id).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nats-core", "nats-jetstream"})
    void aSourceReceivesOverTlsWithTheClientCertificateAndTheCaFile(String type) throws Exception {
        Map<String, Object> optional = new HashMap<>(trustedClient());
        if (type.equals("nats-jetstream")) {
            optional.put("AutoProvision", "true");
        }
        connection("bus", type, optional);
        pool.awaitStatus("bus", Status.CONNECTED);
        RecordingSourceContext source = new RecordingSourceContext(pool, "rule1", "source_edgex");
        closing.add(source);
        source.open(sources.create(TOPIC + "/#", Map.of(ConnectionPool.CONNECTION_SELECTOR, "bus",
                "messageType", "request")));
        Device device = device();
        Poll.until("a record over TLS", () -> {
            device.publishHeaders(TOPIC + "/dev", Device.addEventRequest("tls", 5));
            return !source.records.isEmpty();
        }, () -> source.errors);
        assertEquals(Map.of("value", 5L, "marker", "tls"), source.records.get(0));
        assertEquals(List.of(), source.errors);
    }

    @Test
    void aServerWhoseCertificateTheCaFileDoesNotVouchForIsRefused() {
        connection("bus", "nats-core", Map.of("CaFile", certificates.strangerCaCert.toString(),
                "CertFile", certificates.clientCert.toString(), "KeyFile", certificates.clientKey.toString()));
        String error = refusal("bus", "TLS handshake failed: unable to find valid certification path");
        assertTrue(error.contains("ssl://127.0.0.1:" + server.port()), error);
    }

    @Test
    void withoutCaFileTheJvmsTrustStoreRefusesTheTestCa() {
        connection("bus", "nats-core", Map.of("CertFile", certificates.clientCert.toString(),
                "KeyFile", certificates.clientKey.toString()));
        refusal("bus", "TLS handshake failed: unable to find valid certification path");
    }

    @Test
    void skipCertVerifyAcceptsTheServerWithoutCaFile() {
        connection("bus", "nats-core", Map.of("CertFile", certificates.clientCert.toString(),
                "KeyFile", certificates.clientKey.toString(), "SkipCertVerify", "true"));
        pool.awaitStatus("bus", Status.CONNECTED);
    }

    @Test
    void aClientCertificateTheServerDoesNotTrustIsRefused() {
        connection("bus", "nats-core", Map.of("CaFile", certificates.caCert.toString(),
                "CertFile", certificates.strangerClientCert.toString(),
                "KeyFile", certificates.strangerClientKey.toString()));
        // Java sends no certificate the server's CAs did not issue; the server ends the connection, jnats times out
        String error = refusal("bus", "does not trust the client's: optional CertFile and KeyFile");
        assertTrue(error.contains("ssl://127.0.0.1:" + server.port()), error);
        assertNotEquals(Status.CONNECTED, pool.info("bus").status().status());
    }

    @Test
    void aMissingKeyFileIsReportedWithItsPath() {
        String missing = directory.resolve("no-such.key").toString();
        connection("bus", "nats-core", Map.of("CaFile", certificates.caCert.toString(),
                "CertFile", certificates.clientCert.toString(), "KeyFile", missing));
        String error = refusal("bus", "cannot set up TLS");
        assertTrue(error.contains(missing), error);
    }
}
