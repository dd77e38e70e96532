package io.tether.distribution.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Mosquitto broker of the test's own, on a free loopback port, configured in a folder of the test. */
public final class PrivateMosquitto implements AutoCloseable {
    private final Process process;
    private final int port;

    /** @param extraConfLines further lines of mosquitto.conf, e.g. {@code max_queued_messages 0} */
    public PrivateMosquitto(File directory, String... extraConfLines) {
        this(directory, TetherRuntime.freePort(), extraConfLines);
    }

    /** A broker on the given port: one started again where a stopped one listened. */
    public PrivateMosquitto(File directory, int port, String... extraConfLines) {
        this.port = port;
        try {
            Files.createDirectories(directory.toPath());
            File conf = new File(directory, "mosquitto.conf");
            // "user root": started as root, mosquitto would otherwise switch to a user that cannot read this folder
            List<String> lines = new ArrayList<>(List.of("user root", "listener " + port + " 127.0.0.1",
                    "allow_anonymous true", "persistence false", "log_dest none"));
            lines.addAll(List.of(extraConfLines));
            Files.write(conf.toPath(), lines);
            String binary = new File("/usr/sbin/mosquitto").canExecute() ? "/usr/sbin/mosquitto" : "mosquitto";
            process = new ProcessBuilder(binary, "-c", conf.getPath()).redirectErrorStream(true)
                    .redirectOutput(new File(directory, "mosquitto.out")).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        Poll.until("mosquitto listens on " + port, this::listening);
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Publishes one message at QoS 1 with the {@code mosquitto_pub} client, as a device would. */
    public void publish(String topic, String message) {
        try {
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-q", "1", "-t", topic, "-m", message).redirectErrorStream(true).start();
            if (!pub.waitFor(10, TimeUnit.SECONDS) || pub.exitValue() != 0) {
                pub.destroyForcibly();
                throw new IllegalStateException("mosquitto_pub to " + topic + " failed: "
                        + new String(pub.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mosquitto_pub", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
