package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.distribution.it.PrivateMosquitto;
import io.tether.distribution.it.TetherRuntime;

/**
 * Issue 13, point 2: the status page at {@code /ui/} in a real browser (Debian's chromium driven by playwright-core,
 * see {@code src/test/browser/status-page.mjs}) against the exported runtime: a connection created through the form,
 * its dot green while its broker runs and red once the broker is killed, edited, deleted; the API's refusal shown;
 * once without authentication and once with Basic users, where the live dots come through the session cookie.
 * Screenshots go to {@code target/it/ui-*}/. Skipped when node or chromium is missing, except in CI.
 */
public class StatusPageInABrowserIT {
    private static final Path SCRIPTS = Path.of("src", "test", "browser");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String SECRET = "Pw0rd-of-the-page";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path browserFolder;

    private PrivateMosquitto broker;

    @BeforeClass
    public static void installPlaywright() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean node = runs(List.of("node", "--version"));
        boolean chromium = new File(CHROMIUM).canExecute();
        String missing = (node ? "" : "node (apt-get install nodejs npm) ") + (chromium ? "" : "chromium (apt-get install chromium)");
        if (!ci) {
            assumeTrue("the status page's browser test needs " + missing + "; skipped", node && chromium);
        }
        assertTrue("CI=true: the status page's browser test needs " + missing, node && chromium);
        browserFolder = Path.of(System.getProperty("tether.it.dir"), "browser");
        Files.createDirectories(browserFolder);
        for (String file : List.of("package.json", "package-lock.json", "status-page.mjs")) {
            Files.copy(SCRIPTS.resolve(file), browserFolder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(browserFolder.resolve("node_modules/playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(browserFolder.toFile()).redirectErrorStream(true)
                    .redirectOutput(browserFolder.resolve("npm.log").toFile()).start();
            assertTrue("npm ci did not finish in 5 minutes", npm.waitFor(5, TimeUnit.MINUTES));
            assertEquals("npm ci failed: " + Files.readString(browserFolder.resolve("npm.log")), 0, npm.exitValue());
        }
    }

    @After
    public void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void aConnectionMadeInThePageShowsItsLiveStatusAndGoes() throws Exception {
        Path home = ExportedRuntime.freshHome("ui-open");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log")) {
            drive(runtime, home, null, null);
            assertEquals("[]", runtime.get("/connections").body());
            assertFalse("the secret reached the log", runtime.output().contains(SECRET));
        }
    }

    @Test
    public void theLiveStatusWorksWithBasicAuthentication() throws Exception {
        Path home = ExportedRuntime.freshHome("ui-auth");
        Path mgmt = Files.createDirectories(home.resolve("etc/mgmt"));
        String password = "the operator's password";
        Files.writeString(mgmt.resolve("users"), "carol:" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + ":admin\n");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log", List.of("-Dtether.auth=basic"),
                "/ping")) {
            assertEquals("the API is closed without a user", 401, runtime.get("/connections").statusCode());
            assertEquals("the page's files load without one (they show the login form)", 200,
                    runtime.get("/ui/").statusCode());
            drive(runtime, home, "carol", password);
            HttpResponse<String> left = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/connections"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("carol:" + password).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, left.statusCode());
            assertEquals("[]", left.body());
            assertFalse("a credential reached the log", runtime.output().contains(SECRET)
                    || runtime.output().contains(password));
        }
    }

    /** Runs the browser scenario against the runtime, with a broker of its own that the browser side kills. */
    private void drive(ExportedRuntime runtime, Path home, String user, String password) throws Exception {
        broker = new PrivateMosquitto(home.resolve("broker").toFile());
        Path out = Files.createDirectories(home.resolve("screenshots"));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("base", "http://127.0.0.1:" + runtime.port());
        run.put("broker", broker.url());
        run.put("brokerPid", broker.pid());
        run.put("deadServer", "tcp://127.0.0.1:" + TetherRuntime.freePort());
        run.put("outDir", out.toAbsolutePath().toString());
        run.put("secret", SECRET);
        if (user != null) {
            run.put("user", user);
            run.put("password", password);
        }
        Path output = home.resolve("browser.log");
        Process browser = new ProcessBuilder("node", "status-page.mjs", JSON.writeValueAsString(run))
                .directory(browserFolder.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = browser.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String story = Files.readString(output);
        assertTrue("the browser did not finish in 3 minutes:\n" + story, ended);
        assertEquals("the browser scenario failed (screenshots in " + out + "):\n" + story + "\nruntime log:\n"
                + runtime.output(), 0, browser.exitValue());
        assertTrue(story, story.contains("[browser] passed"));
        assertTrue("no screenshot", Files.size(out.resolve("status-page-phone.png")) > 0);
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
