package io.tether.mqtt.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.testkit.Mosquitto;

/**
 * A test CA, a server certificate for localhost / 127.0.0.1 and a client certificate, made with openssl at test time.
 * The client key is written twice: PKCS#8 (openssl's default) and PKCS#1 ({@code -traditional}).
 */
record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path clientCertificate,
        Path clientKey, Path clientKeyPkcs1) {

    static TestCertificates create(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path ext = directory.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Tether Test CA");
        signed(directory, "server", "/CN=localhost", "-extfile", ext.toString());
        signed(directory, "client", "/CN=tether-client");
        openssl(directory, "rsa", "-in", "client.key", "-out", "client-pkcs1.key", "-traditional");
        return new TestCertificates(directory.resolve("ca.crt"), directory.resolve("server.crt"),
                directory.resolve("server.key"), directory.resolve("client.crt"), directory.resolve("client.key"),
                directory.resolve("client-pkcs1.key"));
    }

    /** A TLS broker with the CA's server certificate; client certificates required when {@code mutual}. */
    Mosquitto startBroker(Path directory, boolean mutual) {
        return Mosquitto.start(directory,
                "cafile " + caCertificate,
                "certfile " + serverCertificate,
                "keyfile " + serverKey,
                "require_certificate " + mutual);
    }

    /** The broker's TLS address under the name its certificate holds. */
    static String sslUrl(Mosquitto broker) {
        return "ssl://localhost:" + broker.port();
    }

    private static void signed(Path directory, String name, String subject, String... extra)
            throws IOException, InterruptedException {
        openssl(directory, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", name + ".crt"));
        args.addAll(List.of(extra));
        openssl(directory, args.toArray(String[]::new));
    }

    private static void openssl(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: "
                    + Files.readString(directory.resolve("openssl.log")));
        }
    }
}
