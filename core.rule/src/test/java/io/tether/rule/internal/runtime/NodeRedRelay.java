package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Node-RED 4 as the benchmark's second baseline: a flow {@code mqtt in → json → mqtt out} on one broker config, the
 * relay a Node-RED user builds. Node-RED is not a dependency: the benchmark looks for {@code node_modules/node-red}
 * under the folder named by {@code -Dnodered.home} (or {@code NODE_RED_HOME}), installed there with
 * {@code npm install node-red@4}, and skips this baseline when there is none.
 */
final class NodeRedRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;

    private NodeRedRelay(Process process) {
        this.process = process;
    }

    /** The Node-RED installation to run, if there is one. */
    static Optional<Path> installation() {
        String home = System.getProperty("nodered.home", System.getenv("NODE_RED_HOME"));
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        Path red = Path.of(home, "node_modules", "node-red", "red.js");
        return Files.isRegularFile(red) ? Optional.of(red) : Optional.empty();
    }

    /** Starts Node-RED with the relay flow; returns once its HTTP port answers (the flow may still be connecting). */
    static NodeRedRelay start(Path red, Path directory, int brokerPort, String in, String out, int qos)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path flows = directory.resolve("flows.json");
        // ids that equal no property value: Node-RED takes such a value for a reference to that node
        JSON.writeValue(flows.toFile(), List.of(
                Map.of("id", "f1a0000000000001", "type", "tab", "label", "relay"),
                Map.of("id", "f1a0000000000002", "type", "mqtt-broker", "broker", "127.0.0.1", "port", String.valueOf(brokerPort),
                        "clientid", "", "autoConnect", true, "usetls", false, "protocolVersion", "4", "keepalive", "60",
                        "cleansession", true),
                Map.of("id", "f1a0000000000003", "type", "mqtt in", "z", "f1a0000000000001", "topic", in, "qos",
                        String.valueOf(qos), "datatype", "utf8", "broker", "f1a0000000000002",
                        "wires", List.of(List.of("f1a0000000000004"))),
                Map.of("id", "f1a0000000000004", "type", "json", "z", "f1a0000000000001", "property", "payload",
                        "action", "obj", "pretty", false, "wires", List.of(List.of("f1a0000000000005"))),
                Map.of("id", "f1a0000000000005", "type", "mqtt out", "z", "f1a0000000000001", "topic", out, "qos",
                        String.valueOf(qos), "retain", "false", "broker", "f1a0000000000002", "wires", List.of())));
        int port = freePort();
        Process process = new ProcessBuilder("node", red.toString(), "--port", String.valueOf(port), "--userDir",
                directory.toString(), flows.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("node-red.log").toFile())
                .start();
        NodeRedRelay relay = new NodeRedRelay(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!answers(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                relay.close();
                throw new IOException("Node-RED did not start; see " + directory.resolve("node-red.log"));
            }
            Thread.sleep(50);
        }
        return relay;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
