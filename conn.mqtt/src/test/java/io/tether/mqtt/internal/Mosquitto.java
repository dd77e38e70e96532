package io.tether.mqtt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Mosquitto broker on a free loopback port, started from a generated configuration, that tests stop and
 * start again (on the same port) to make outages. Public, with {@link BareClients}, for the rule layer's tests
 * (conn.mqtt's test-jar).
 */
public final class Mosquitto implements AutoCloseable {
    private static final Path BINARY = Files.isExecutable(Path.of("/usr/sbin/mosquitto"))
            ? Path.of("/usr/sbin/mosquitto") : Path.of("mosquitto");

    private final Path directory;
    private final int port;
    private final List<String> extraLines;
    private Process process;

    private Mosquitto(Path directory, int port, List<String> extraLines) {
        this.directory = directory;
        this.port = port;
        this.extraLines = extraLines;
    }

    /** A plain broker: anonymous clients, no persistence, $SYS topics every second. */
    public static Mosquitto start(Path directory, String... extraLines) {
        Mosquitto broker = prepare(directory, extraLines);
        broker.start();
        return broker;
    }

    /** A broker on a port of its own, not started yet. */
    public static Mosquitto prepare(Path directory, String... extraLines) {
        return new Mosquitto(directory, freePort(), List.of(extraLines));
    }

    /** A TLS broker with the test CA's server certificate; client certificates required when {@code mutual}. */
    static Mosquitto startTls(Path directory, TestCertificates certificates, boolean mutual) {
        return start(directory,
                "cafile " + certificates.caCertificate(),
                "certfile " + certificates.serverCertificate(),
                "keyfile " + certificates.serverKey(),
                "require_certificate " + mutual);
    }

    public int port() {
        return port;
    }

    public String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    String sslUrl() {
        return "ssl://localhost:" + port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path conf = directory.resolve("mosquitto.conf");
            List<String> lines = new ArrayList<>(List.of(
                    // mosquitto started as root drops to user mosquitto, which cannot read the tests' files
                    "user root",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "sys_interval 1",
                    "log_dest file " + directory.resolve("mosquitto.log"),
                    "log_type error",
                    "log_type warning"));
            lines.addAll(extraLines);
            Files.write(conf, lines);
            process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mosquitto.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        Waits.until("mosquitto listens on " + port, Duration.ofSeconds(10), () -> listening(port));
    }

    /** Stops the broker (SIGTERM: clients see their connections closed) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
