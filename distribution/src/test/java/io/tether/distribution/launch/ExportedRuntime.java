package io.tether.distribution.launch;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.distribution.it.TetherRuntime;

/**
 * The exported runtime ({@code target/tether.jar}) run as a user runs it, in a process of its own with its home
 * folder as working directory (so its data lives in {@code <home>/data}), on a free loopback port.
 */
final class ExportedRuntime implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path log;
    private final int port;
    private final URI base;
    private final Process process;

    private ExportedRuntime(Path home, int port, String logName, List<String> jvmOptions) throws IOException {
        Files.createDirectories(home);
        log = home.resolve(logName);
        this.port = port;
        base = URI.create("http://127.0.0.1:" + port);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.osgi.service.http.port=" + port, "-jar", System.getProperty("tether.runtime.jar")));
        process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** An empty home folder {@code name} under the integration tests' folder. */
    static Path freshHome(String name) throws IOException {
        Path home = Path.of(System.getProperty("tether.it.dir"), name);
        TetherRuntime.deleteTree(home.toFile());
        return Files.createDirectories(home);
    }

    /** Starts the runtime in {@code home} and waits until {@code GET /connections} answers 200. */
    static ExportedRuntime start(Path home, String logName) throws Exception {
        return start(home, logName, List.of());
    }

    /** As {@link #start(Path, String)}, with JVM options such as {@code -Xmx96m}. */
    static ExportedRuntime start(Path home, String logName, List<String> jvmOptions) throws Exception {
        return start(home, logName, jvmOptions, "/connections");
    }

    /** As {@link #start(Path, String, List)}, ready once {@code readyPath} answers 200 ({@code /ping} with auth on). */
    static ExportedRuntime start(Path home, String logName, List<String> jvmOptions, String readyPath)
            throws Exception {
        ExportedRuntime runtime = new ExportedRuntime(home, TetherRuntime.freePort(), logName, jvmOptions);
        runtime.awaitOk(readyPath);
        return runtime;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Ends the process at once, as a crash or {@code kill -9} would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** Sends SIGTERM and waits for the process to end. */
    void stop() throws Exception {
        process.destroy();
        assertTrue("the runtime did not stop on SIGTERM: " + output(), process.waitFor(30, TimeUnit.SECONDS));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void awaitOk(String path) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue("the runtime exited: " + output(), process.isAlive());
            try {
                if (get(path).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the runtime is still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 from " + path + " within " + PATIENCE + ": " + output());
    }
}
