package io.tether.edgex.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PEM files made with {@code openssl} for a test (EC P-256, valid for two days): a CA, a server certificate for
 * 127.0.0.1 and a client certificate it signed, and a stranger CA with a client certificate of its own.
 */
final class TestCertificates {
    final Path caCert;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;
    final Path strangerCaCert;
    final Path strangerClientCert;
    final Path strangerClientKey;

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
        caCert = directory.resolve("ca.pem");
        serverCert = directory.resolve("server.pem");
        serverKey = directory.resolve("server.key");
        clientCert = directory.resolve("client.pem");
        clientKey = directory.resolve("client.key");
        strangerCaCert = directory.resolve("stranger-ca.pem");
        strangerClientCert = directory.resolve("stranger-client.pem");
        strangerClientKey = directory.resolve("stranger-client.key");
    }

    static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static TestCertificates make(Path directory) throws IOException, InterruptedException {
        TestCertificates made = new TestCertificates(directory);
        made.authority("ca", "tether test CA");
        made.signed("server", "127.0.0.1", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        made.signed("client", "tether test client", "ca", "extendedKeyUsage=clientAuth\n");
        made.authority("stranger-ca", "stranger CA");
        made.signed("stranger-client", "stranger client", "stranger-ca", "extendedKeyUsage=clientAuth\n");
        return made;
    }

    private void authority(String name, String commonName) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName);
    }

    private void signed(String name, String commonName, String authority, String extensions)
            throws IOException, InterruptedException {
        Files.writeString(directory.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", authority + ".pem", "-CAkey", authority + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path log = directory.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed: " + command + "\n" + Files.readString(log));
        }
    }
}
