package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
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
 * see {@code src/test/browser/status-page.mjs}) against the exported runtime: a connection created through the form
 * while its broker is down, its dot red, green when the broker starts, red when it stops and green again when it is
 * back; the page reloaded; the connection edited and deleted; the API's refusal shown. Once without authentication
 * and once with Basic users, where the live dots come through the session cookie, the reloaded page still shows who
 * is logged in, and a readonly user finds the write buttons disabled. The test owns the broker and starts or stops it
 * when the browser's output asks for it. Screenshots go to {@code target/it/ui-*}/. Skipped when node or chromium is
 * missing, except in CI.
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
    public void aConnectionMadeInThePageGoesGreenWhenItsBrokerStartsAndRedWhenItStops() throws Exception {
        Path home = ExportedRuntime.freshHome("ui-open");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log")) {
            drive(runtime, home, Map.of());
            assertEquals("[]", runtime.get("/connections").body());
            assertFalse("the secret reached the log", runtime.output().contains(SECRET));
        }
    }

    @Test
    public void withBasicAuthenticationThePageShowsTheUserAfterAReloadAndLocksAReadonlyOne() throws Exception {
        Path home = ExportedRuntime.freshHome("ui-auth");
        Path mgmt = Files.createDirectories(home.resolve("etc/mgmt"));
        String password = "the operator's password";
        String readonlyPassword = "the viewer's password";
        Files.writeString(mgmt.resolve("users"), "carol:" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + ":admin\n"
                + "dave:" + BCrypt.hashpw(readonlyPassword, BCrypt.gensalt(4)) + ":readonly\n");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log", List.of("-Dtether.auth=basic"),
                "/ping")) {
            assertEquals("the API is closed without a user", 401, runtime.get("/connections").statusCode());
            assertEquals("the page's files load without one (they show the login form)", 200,
                    runtime.get("/ui/").statusCode());
            drive(runtime, home, Map.of("user", "carol", "password", password, "readonlyUser", "dave",
                    "readonlyPassword", readonlyPassword));
            HttpResponse<String> left = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/connections"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("carol:" + password).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, left.statusCode());
            assertEquals("[]", left.body());
            assertFalse("a credential reached the log", runtime.output().contains(SECRET)
                    || runtime.output().contains(password) || runtime.output().contains(readonlyPassword));
        }
    }

    /**
     * Runs the browser scenario against the runtime. The broker is the test's: none runs at first, and each
     * "start the broker" or "stop the broker" line of the browser starts one on the same port or stops it.
     */
    private void drive(ExportedRuntime runtime, Path home, Map<String, String> logins) throws Exception {
        File brokerFolder = home.resolve("broker").toFile();
        int brokerPort = TetherRuntime.freePort();
        Path out = Files.createDirectories(home.resolve("screenshots"));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("base", "http://127.0.0.1:" + runtime.port());
        run.put("broker", "tcp://127.0.0.1:" + brokerPort);
        run.put("deadServer", "tcp://127.0.0.1:" + TetherRuntime.freePort());
        run.put("outDir", out.toAbsolutePath().toString());
        run.put("secret", SECRET);
        run.putAll(logins);
        Process browser = new ProcessBuilder("node", "status-page.mjs", JSON.writeValueAsString(run))
                .directory(browserFolder.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Boolean> inTime = browser.onExit().thenApply(ended -> true)
                .completeOnTimeout(false, 3, TimeUnit.MINUTES);
        inTime.thenAccept(ended -> {
            if (!ended) {
                browser.destroyForcibly();
            }
        });
        StringBuilder story = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                story.append(line).append('\n');
                if (line.equals("[browser] start the broker")) {
                    broker = new PrivateMosquitto(brokerFolder, brokerPort);
                } else if (line.equals("[browser] stop the broker")) {
                    broker.close();
                    broker = null;
                }
            }
        } catch (Exception | Error e) {
            browser.destroyForcibly();
            throw e;
        } finally {
            Files.writeString(home.resolve("browser.log"), story);
        }
        assertTrue("the browser did not finish in 3 minutes:\n" + story, inTime.get());
        assertEquals("the browser scenario failed (screenshots in " + out + "):\n" + story + "\nruntime log:\n"
                + runtime.output(), 0, browser.waitFor());
        assertTrue(story.toString(), story.toString().contains("[browser] passed"));
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
