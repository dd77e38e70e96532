package io.tether.edgex.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.testkit.Peers;
import io.tether.testkit.Poll;

/**
 * A private {@code nats-server} with JetStream on a free loopback port, its store in a directory of the test's, that
 * tests stop and start again on the same port to make outages.
 */
final class NatsServer implements AutoCloseable {
    private static final Path BINARY = Files.isExecutable(Path.of("/usr/sbin/nats-server"))
            ? Path.of("/usr/sbin/nats-server") : Path.of("nats-server");
    /** The machine's server, which .ci/run starts. */
    static final int MACHINE_PORT = 4222;

    private final Path directory;
    private final List<String> extraArguments;
    private final int port = Peers.freePort();
    private Process process;

    private NatsServer(Path directory, List<String> extraArguments) {
        this.directory = directory;
        this.extraArguments = extraArguments;
    }

    static NatsServer start(Path directory) {
        return start(directory, List.of());
    }

    /** A server started with more of nats-server's flags, e.g. {@code --tls --tlscert … --tlskey …}. */
    static NatsServer start(Path directory, List<String> extraArguments) {
        NatsServer server = new NatsServer(directory, List.copyOf(extraArguments));
        server.start();
        return server;
    }

    int port() {
        return port;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(directory);
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-a", "127.0.0.1", "-p",
                    Integer.toString(port), "-js", "-sd", directory.resolve("store").toString()));
            command.addAll(extraArguments);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nats-server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nats-server", e);
        }
        Poll.until("nats-server listens on " + port, Duration.ofSeconds(10), () -> Peers.listening(port));
    }

    /** Kills the server (SIGKILL: no goodbye to its clients) and waits until it is gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        kill();
    }
}
