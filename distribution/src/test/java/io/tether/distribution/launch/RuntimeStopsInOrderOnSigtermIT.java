package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * The exported runtime, as a user starts it: it answers REST, and SIGTERM stops the framework in order (the pool
 * deactivates, closing its connections) with the store on disk.
 */
public class RuntimeStopsInOrderOnSigtermIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private Process runtime;

    @After
    public void killLeftover() {
        if (runtime != null && runtime.isAlive()) {
            runtime.destroyForcibly();
        }
    }

    @Test
    public void sigtermStopsTheFrameworkInOrderAndKeepsTheStore() throws Exception {
        Path home = Files.createDirectories(Path.of(System.getProperty("tether.it.dir"), "sigterm"));
        Path log = home.resolve("runtime.log");
        int port = freePort();
        runtime = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.osgi.service.http.port=" + port, "-jar", System.getProperty("tether.runtime.jar"))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();

        URI connections = URI.create("http://127.0.0.1:" + port + "/connections");
        awaitOk(connections, log);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(connections)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"kept\",\"typ\":\"mqtt\",\"props\":{\"server\":\"tcp://127.0.0.1:1\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(created.body(), 201, created.statusCode());

        runtime.destroy();
        assertTrue("the runtime did not stop on SIGTERM", runtime.waitFor(30, TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertTrue(output, output.contains("tether: stopping the framework"));
        assertTrue(output, output.contains("Connection pool stopped"));
        assertTrue(Files.readString(home.resolve("data/connections.json")).contains("\"kept\""));
    }

    private void awaitOk(URI uri, Path log) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue("the runtime exited: " + Files.readString(log), runtime.isAlive());
            try {
                if (http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the runtime is still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 from " + uri + " within " + PATIENCE + ": " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
