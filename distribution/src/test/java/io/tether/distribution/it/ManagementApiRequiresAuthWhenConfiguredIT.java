package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Issue 13, point 5: with {@code tether.auth=basic,jwt} every request but {@code GET /ping} needs a user: none or a
 * wrong one is 401, a {@code readonly} one asking to write is 403, an {@code admin} one passes; the same with a JWT
 * signed by a key pair generated here, whose public half is put in {@code etc/mgmt}; a browser logs in once and
 * uses the session cookie, for the REST API and the event stream alike. No answer shows a password or a token.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagementApiRequiresAuthWhenConfiguredIT {

    private static final String ADMIN_PASSWORD = "admin-pw-" + "Xq7";
    private static final String READER_PASSWORD = "reader-pw-" + "Lm2";
    private static final String KEY_NAME = "it-key";

    @Inject
    BundleContext context;

    FakeConnector fake;
    Rest rest;
    KeyPair keys;
    final List<String> answers = new ArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        Option[] options = TetherRuntime.options(ManagementApiRequiresAuthWhenConfiguredIT.class,
                TetherRuntime.HTTP_EDGE);
        Path mgmt = new File(TetherRuntime.directory(ManagementApiRequiresAuthWhenConfiguredIT.class), "home")
                .toPath().resolve("etc/mgmt");
        Files.createDirectories(mgmt);
        Files.writeString(mgmt.resolve("users"), "# written by the test\n"
                + "alice:" + BCrypt.hashpw(ADMIN_PASSWORD, BCrypt.gensalt(4)) + ":admin\n"
                + "bob:" + BCrypt.hashpw(READER_PASSWORD, BCrypt.gensalt(4)) + ":readonly\n");
        // a framework property only: system properties outlive this class's framework in the test JVM
        return OptionUtils.combine(options, frameworkProperty("tether.auth").value("basic,jwt"));
    }

    @Before
    public void setUp() throws Exception {
        keys = newKeyPair();
        Path mgmt = Path.of(context.getProperty("tether.home"), "etc", "mgmt");
        Files.writeString(mgmt.resolve(KEY_NAME + ".pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        fake = new FakeConnector(context);
        fake.install();
        rest = new Rest(context);
        Poll.until("the runtime answers /connections for an admin",
                () -> get("/connections", basic("alice", ADMIN_PASSWORD)).status() == 200);
    }

    @After
    public void tearDown() throws Exception {
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void withoutCredentialsEveryRequestButPingIs401() {
        Rest.Response list = record(rest.get("/connections"));
        assertEquals(401, list.status());
        assertTrue(list.toString(), list.isJson());
        assertTrue(list.body(), list.json().path("message").asText().contains("authentication required"));
        assertEquals(401, record(rest.get("/events")).status());
        assertEquals(401, record(rest.get("/metrics")).status());
        assertEquals(401, record(rest.post("/connections", json("id", "x", "typ", "fake", "props", Map.of())))
                .status());
        assertEquals(200, record(rest.get("/ping")).status());
        assertEquals(401, get("/connections", basic("alice", "wrong")).status());
        assertEquals(401, get("/connections", basic("mallory", ADMIN_PASSWORD)).status());
        assertEquals(401, get("/connections", "Authorization", "Digest abc").status());
    }

    @Test
    public void anAdminWritesAndAReadonlyUserOnlyReadsWithBasic() {
        String[] alice = basic("alice", ADMIN_PASSWORD);
        String[] bob = basic("bob", READER_PASSWORD);

        assertEquals(201, send("POST", "/connections", json("id", "basic1", "typ", "fake", "props", Map.of()), alice)
                .status());
        assertEquals(200, get("/connections/basic1", bob).status());
        Rest.Response refused = send("DELETE", "/connections/basic1", null, bob);
        assertEquals(403, refused.status());
        assertTrue(refused.body(), refused.json().path("message").asText().contains("readonly"));
        assertEquals(403, send("POST", "/connections", json("id", "basic2", "typ", "fake", "props", Map.of()), bob)
                .status());
        assertEquals("a refused write changes nothing", 404, get("/connections/basic2", alice).status());
        assertEquals(200, send("DELETE", "/connections/basic1", null, alice).status());
    }

    @Test
    public void aJwtSignedByAKeyInEtcMgmtAuthenticatesWithItsRole() throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 300;
        String admin = jwt(keys, claims(exp, "admin"));
        String reader = jwt(keys, claims(exp, null));

        assertEquals(201, send("POST", "/connections", json("id", "jwt1", "typ", "fake", "props", Map.of()),
                bearer(admin)).status());
        assertEquals(200, get("/connections/jwt1", bearer(reader)).status());
        assertEquals(403, send("PUT", "/connections/jwt1", json("typ", "fake", "props", Map.of()), bearer(reader))
                .status());
        assertEquals(401, get("/connections", bearer(jwt(newKeyPair(), claims(exp, "admin")))).status());
        assertEquals(401, get("/connections", bearer(jwt(keys, claims(exp - 600, "admin")))).status());
        Map<String, Object> wrongAudience = claims(exp, "admin");
        wrongAudience.put("aud", "ekuiper");
        assertEquals(401, get("/connections", bearer(jwt(keys, wrongAudience))).status());
    }

    @Test
    public void aBrowserLogsInOnceAndUsesTheSessionCookieForRestAndEvents() {
        Rest.Response login = send("POST", "/login", null, basic("alice", ADMIN_PASSWORD));
        assertEquals(200, login.status());
        assertEquals("admin", login.json().path("role").asText());
        String cookie = sessionCookie();
        String[] withCookie = { "Cookie", cookie };

        assertEquals(201, send("POST", "/connections", json("id", "browser1", "typ", "fake", "props", Map.of()),
                withCookie).status());
        try (SseClient events = SseClient.open(rest.base(), withCookie)) {
            assertEquals(200, events.status());
            assertEquals("snapshot", events.next().name());
        }
        assertEquals(200, send("POST", "/logout", null, withCookie).status());
        assertEquals(401, get("/connections", withCookie).status());
        assertEquals(401, get("/connections", "Cookie", "tether_session=forged").status());
    }

    @Test
    public void noAnswerShowsAPasswordOrAToken() throws Exception {
        String token = jwt(keys, claims(System.currentTimeMillis() / 1000 - 600, "admin"));
        record(get("/connections", basic("alice", ADMIN_PASSWORD + "x")));
        record(get("/connections", bearer(token)));
        record(send("POST", "/login", null, basic("bob", READER_PASSWORD + "x")));
        record(send("POST", "/connections", json("id", "s", "typ", "fake", "props", Map.of()),
                basic("bob", READER_PASSWORD)));
        for (String answer : answers) {
            assertFalse(answer, answer.contains(ADMIN_PASSWORD));
            assertFalse(answer, answer.contains(READER_PASSWORD));
            assertFalse(answer, answer.contains(token));
        }
    }

    private String sessionCookie() {
        // java.net.http keeps Set-Cookie out of reach of Rest.Response: log in again with a raw request
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1",
                Integer.parseInt(context.getProperty(TetherRuntime.HTTP_PORT)))) {
            String credentials = Base64.getEncoder().encodeToString(("alice:" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                    + "Authorization: Basic " + credentials + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : answer.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie: tether_session=")) {
                    String cookie = line.substring("set-cookie: ".length()).split(";")[0];
                    assertTrue(line, line.contains("HttpOnly") && line.contains("SameSite=Strict"));
                    return cookie;
                }
            }
            throw new AssertionError("no session cookie in " + answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Rest.Response get(String path, String... headers) {
        return record(rest.request("GET", path, null, headers));
    }

    private Rest.Response send(String method, String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return record(rest.request(method, path, body, body == null ? headers : all));
    }

    private Rest.Response record(Rest.Response response) {
        answers.add(response.toString());
        return response;
    }

    private static String[] basic(String user, String password) {
        return new String[] { "Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) };
    }

    private static String[] bearer(String token) {
        return new String[] { "Authorization", "Bearer " + token };
    }

    private static Map<String, Object> claims(long exp, String role) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", KEY_NAME);
        claims.put("aud", "tether");
        claims.put("sub", role == null ? "reader" : role);
        claims.put("exp", exp);
        if (role != null) {
            claims.put("role", role);
        }
        return claims;
    }

    /** An RS256 JWS made with the JDK: the runtime's own verifier (Nimbus) is not visible to the test bundle. */
    private static String jwt(KeyPair pair, Map<String, Object> claims) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(Rest.JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")))
                + "." + url.encodeToString(Rest.JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(pair.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
