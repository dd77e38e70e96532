package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Mosquitto broker (the {@code mosquitto} binary, {@code /usr/sbin/mosquitto} or on the PATH) on a free
 * loopback port, started from a generated configuration, that tests stop and start again on the same port to make
 * outages.
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

    /**
     * Starts a plain broker (anonymous clients, no persistence, $SYS topics every second) and waits until it listens.
     *
     * @param directory  where its configuration and log go
     * @param extraLines further lines of {@code mosquitto.conf}, e.g. {@code max_queued_messages 0}
     */
    public static Mosquitto start(Path directory, String... extraLines) {
        Mosquitto broker = prepare(directory, extraLines);
        broker.start();
        return broker;
    }

    /** A broker on a port of its own, not started yet. */
    public static Mosquitto prepare(Path directory, String... extraLines) {
        return new Mosquitto(directory, Peers.freePort(), List.of(extraLines));
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker (again) and waits until it listens; does nothing while it runs. */
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
        Poll.until("mosquitto listens on " + port, Duration.ofSeconds(10), () -> Peers.listening(port));
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
}
