package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.tether.distribution.it.TetherRuntime;

/**
 * The launcher script's start-up cache, as an operator gets it: the first start records (beside its class-data
 * archive) which classes the bundles loaded at which start level; a later start preloads them on a second thread.
 * The connector bundles start after the management API: a connection of a connector type created as soon as the
 * API answers is accepted (the pool waits for the type while the runtime starts), not refused as "not installed".
 */
public class LaterStartsUseTheFirstStartsTrainingIT {
    private static final Pattern PRELOADED = Pattern.compile("tether-trace \\d+ ms preloaded (\\d+) of (\\d+) classes");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theSecondStartPreloadsWhatTheFirstRecordedAndTakesAConnectionAtOnce() throws Exception {
        Path home = folder.newFolder("home").toPath();
        Path cds = folder.newFolder("cds").toPath();

        int first = TetherRuntime.freePort();
        Process training = start(home, cds, first, home.resolve("first.log"));
        awaitApi(first, training, home.resolve("first.log"));
        stop(training);
        Path classes;
        try (Stream<Path> files = Files.list(cds)) {
            classes = files.filter(f -> f.toString().endsWith(".classes")).findFirst().orElseThrow(
                    () -> new AssertionError("no class list beside the archive in " + cds));
        }
        List<String> recorded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertTrue("the pool's classes, recorded at level 2", recorded.stream()
                .anyMatch(line -> line.startsWith("2 tether.core.pool io.tether.pool.internal.")));
        assertTrue("the HTTP server's classes, recorded at level 3", recorded.stream()
                .anyMatch(line -> line.startsWith("3 org.apache.felix.http.jetty12 org.eclipse.jetty.")));

        int second = TetherRuntime.freePort();
        Path log = home.resolve("second.log");
        Process trained = start(home, cds, second, log);
        try {
            awaitApi(second, trained, log);
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri(second, "/connections"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"early\",\"typ\":\"mqtt\","
                            + "\"props\":{\"server\":\"tcp://127.0.0.1:" + TetherRuntime.freePort() + "\"}}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(created.body(), 201, created.statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher preloaded = PRELOADED.matcher("");
            while (!preloaded.reset(Files.readString(log)).find()) {
                assertTrue("no 'preloaded' trace line:\n" + Files.readString(log), System.nanoTime() < deadline);
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertTrue(preloaded.group(), Integer.parseInt(preloaded.group(1)) > recorded.size() / 2);
        } finally {
            stop(trained);
        }
    }

    private static Process start(Path home, Path cds, int port, Path log) throws Exception {
        String script = new File(System.getProperty("tether.runtime.jar")).toPath().resolveSibling("tether").toString();
        ProcessBuilder launcher = new ProcessBuilder("sh", script).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        launcher.environment().put("TETHER_PORT", String.valueOf(port));
        launcher.environment().put("TETHER_CDS_DIR", cds.toString());
        launcher.environment().put("TETHER_JAVA", Path.of(System.getProperty("java.home")).toString());
        launcher.environment().put("JAVA_OPTS", "-Dtether.trace.startup=true");
        return launcher.start();
    }

    private static void awaitApi(int port, Process runtime, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue("the runtime ended:\n" + Files.readString(log), runtime.isAlive());
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri(port, "/connections")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertTrue("the API did not answer:\n" + Files.readString(log), System.nanoTime() < deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** SIGTERM, as a supervisor stops it; the first start writes its archive and class list on the way out. */
    private static void stop(Process runtime) throws Exception {
        runtime.destroy();
        if (!runtime.waitFor(60, TimeUnit.SECONDS)) {
            runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the runtime did not stop within 60 s of SIGTERM");
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
