package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Mosquitto broker on a free loopback port (as conn.mqtt's tests start one), which tests may stop and
 * start again on the same port to make outages.
 */
final class Mosquitto implements AutoCloseable {
    private static final String BINARY = Files.isExecutable(Path.of("/usr/sbin/mosquitto"))
            ? "/usr/sbin/mosquitto" : "mosquitto";

    private final Path directory;
    private final int port;
    private final List<String> extraLines;
    private Process process;

    private Mosquitto(Path directory, int port, List<String> extraLines) {
        this.directory = directory;
        this.port = port;
        this.extraLines = extraLines;
    }

    /** @param extraLines configuration lines added to the generated ones */
    static Mosquitto start(Path directory, String... extraLines) throws IOException, InterruptedException {
        Mosquitto broker = prepare(directory, extraLines);
        broker.start();
        return broker;
    }

    /** A broker with a port of its own, not started yet. */
    static Mosquitto prepare(Path directory, String... extraLines) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Mosquitto(directory, socket.getLocalPort(), List.of(extraLines));
        }
    }

    synchronized void start() throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path conf = directory.resolve("mosquitto.conf");
        List<String> lines = new ArrayList<>(List.of("user root", "listener " + port + " 127.0.0.1",
                "allow_anonymous true", "persistence false", "log_dest file " + directory.resolve("mosquitto.log")));
        lines.addAll(extraLines);
        Files.write(conf, lines);
        process = new ProcessBuilder(BINARY, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening()) {
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("mosquitto does not listen on " + port);
            }
            Thread.sleep(20);
        }
    }

    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
