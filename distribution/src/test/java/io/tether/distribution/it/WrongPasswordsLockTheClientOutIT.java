package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.springframework.security.crypto.bcrypt.BCrypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 13, security: after {@code maxFailedAuthentications} wrong passwords from one address within
 * {@code failureWindowSeconds}, the management port answers that address 429 with {@code Retry-After} in the API's
 * error format, the right password included, until the window has passed; a user's own login forgets that user's
 * failures, another user's does not.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WrongPasswordsLockTheClientOutIT {
    private static final String PASSWORD = "admin-pw-" + "Rk4";
    private static final String VIEWER_PASSWORD = "viewer-pw-" + "Qz7";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Configuration
    public Option[] config() throws IOException {
        Option[] options = TetherRuntime.options(WrongPasswordsLockTheClientOutIT.class, TetherRuntime.HTTP_EDGE);
        Path mgmt = new File(TetherRuntime.directory(WrongPasswordsLockTheClientOutIT.class), "home").toPath()
                .resolve("etc/mgmt");
        Files.createDirectories(mgmt);
        Files.writeString(mgmt.resolve("users"), "alice:" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4)) + ":admin\n"
                + "bob:" + BCrypt.hashpw(VIEWER_PASSWORD, BCrypt.gensalt(4)) + ":readonly\n");
        return OptionUtils.combine(options, frameworkProperty("tether.auth").value("basic"));
    }

    @Test
    public void theFourthAttemptAfterThreeWrongPasswordsIs429UntilTheWindowHasPassed() throws Exception {
        lockOutAfterThreeFailuresInTwoSeconds();

        for (int i = 0; i < 3; i++) {
            assertEquals(401, send("alice", "guess-" + i).statusCode());
        }
        HttpResponse<String> locked = send("alice", PASSWORD);
        assertEquals(locked.body(), 429, locked.statusCode());
        String retryAfter = locked.headers().firstValue("Retry-After").orElse(null);
        assertNotNull("Retry-After", retryAfter);
        assertTrue(retryAfter, Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 2);
        assertTrue(locked.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(locked.body());
        assertEquals(1000, body.path("error").asInt());
        assertTrue(locked.body(), body.path("message").asText().contains("too many failed authentications"));
        assertEquals("a request without credentials is not locked out", 401, send(null, null).statusCode());

        Poll.until("the right password passes once the window has passed", Duration.ofSeconds(10),
                () -> send("alice", PASSWORD).statusCode() == 200);
    }

    @Test
    public void loggingInAsAnotherUserBetweenGuessesDoesNotForgetThem() throws Exception {
        lockOutAfterThreeFailuresInTwoSeconds();

        for (int i = 0; i < 2; i++) {
            assertEquals(401, send("alice", "guess-" + i).statusCode());
            assertEquals(200, send("bob", VIEWER_PASSWORD).statusCode());
        }
        assertEquals(401, send("alice", "guess-2").statusCode());
        assertEquals("the third guess at alice locks the address out, bob's logins between notwithstanding", 429,
                send("bob", VIEWER_PASSWORD).statusCode());

        Poll.until("free again once the window has passed", Duration.ofSeconds(10),
                () -> send("alice", PASSWORD).statusCode() == 200);
        assertEquals(401, send("alice", "typo").statusCode());
        assertEquals("alice's own login forgets her typo", 200, send("alice", PASSWORD).statusCode());
        for (int i = 0; i < 2; i++) {
            assertEquals(401, send("alice", "typo-" + i).statusCode());
        }
        assertEquals(200, send("alice", PASSWORD).statusCode());
    }

    /** Applies the test's settings, and waits until the address is not locked out (another test may have). */
    private void lockOutAfterThreeFailuresInTwoSeconds() throws Exception {
        Dictionary<String, Object> settings = new Hashtable<>();
        settings.put("maxFailedAuthentications", 3);
        settings.put("failureWindowSeconds", 2);
        configurationAdmin.getConfiguration("io.tether.http.auth", "?").update(settings);
        Poll.until("the auth filter runs with the test's settings", this::filterConfigured);
        Poll.until("the new filter answers", Duration.ofSeconds(10), () -> send("alice", PASSWORD).statusCode() == 200
                && send(null, null).statusCode() == 401);
    }

    private boolean filterConfigured() {
        try {
            return context.getServiceReferences((String) null,
                    "(&(osgi.http.whiteboard.filter.name=tether.auth)(maxFailedAuthentications=3))") != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String user, String password) {
        URI uri = URI.create("http://127.0.0.1:" + context.getProperty(TetherRuntime.HTTP_PORT) + "/connections");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method("GET", BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return client.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer from the management port", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
