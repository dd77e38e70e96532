package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.springframework.security.crypto.bcrypt.BCrypt;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code GET /login}: a reloaded page learns from its session cookie who is logged in, and nothing more. */
class WhoIsLoggedInTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void theSessionOfALoginTellsItsUserAndRoleButNotItsToken() throws Exception {
        AuthFilter filter = filter("basic");
        Answer login = filter(filter, "POST", "/login", basic("carol", "her password"), null);
        assertEquals(200, login.status, login.body());
        String token = sessionToken(login);

        Answer who = filter(filter, "GET", "/login", null, token);
        assertEquals(200, who.status, who.body());
        assertEquals(Map.of("user", "carol", "role", "admin"), JSON.readValue(who.body(), Map.class));
        assertFalse(who.body().contains(token), "the answer holds the session's token");
        assertEquals("no-store", who.headers.get("Cache-Control"));
        assertTrue(who.addedHeaders.isEmpty(), "no new cookie: " + who.addedHeaders);
    }

    @Test
    void aReadonlyUserIsToldItsRole() throws Exception {
        AuthFilter filter = filter("basic");
        String token = sessionToken(filter(filter, "POST", "/login", basic("dave", "his password"), null));

        Answer who = filter(filter, "GET", "/login", null, token);
        assertEquals(Map.of("user", "dave", "role", "readonly"), JSON.readValue(who.body(), Map.class));
    }

    @Test
    void credentialsWithoutASessionAreAnsweredToo() throws Exception {
        Answer who = filter(filter("basic"), "GET", "/login", basic("carol", "her password"), null);
        assertEquals(200, who.status, who.body());
        assertEquals(Map.of("user", "carol", "role", "admin"), JSON.readValue(who.body(), Map.class));
    }

    @Test
    void withoutASessionOrOnceLoggedOutNobodyIsLoggedIn() throws Exception {
        AuthFilter filter = filter("basic");
        Answer nobody = filter(filter, "GET", "/login", null, null);
        assertEquals(401, nobody.status);
        assertTrue(nobody.body().contains("nobody is logged in"), nobody.body());

        String token = sessionToken(filter(filter, "POST", "/login", basic("carol", "her password"), null));
        assertEquals(200, filter(filter, "POST", "/logout", null, token).status);
        Answer ended = filter(filter, "GET", "/login", null, token);
        assertEquals(401, ended.status);
        assertTrue(ended.body().contains("the session has ended"), ended.body());

        assertEquals(401, filter(filter, "GET", "/login", null, "forged").status);
    }

    @Test
    void withoutAuthenticationNobodyLogsInAndEveryoneIsAdmin() throws Exception {
        Answer who = filter(filter("none"), "GET", "/login", null, null);
        assertEquals(200, who.status);
        assertEquals(Map.of("role", "admin"), JSON.readValue(who.body(), Map.class));
        assertFalse(who.passedOn, "answered by the filter itself");
    }

    @Test
    void loginTakesOnlyGetAndPost() throws Exception {
        Answer put = filter(filter("basic"), "PUT", "/login", basic("carol", "her password"), null);
        assertEquals(405, put.status);
        assertTrue(put.body().contains("GET /login tells who is logged in"), put.body());
    }

    private AuthFilter filter(String authentication) throws Exception {
        Path users = home.resolve("users");
        Files.writeString(users, "carol:" + BCrypt.hashpw("her password", BCrypt.gensalt(4)) + ":admin\n"
                + "dave:" + BCrypt.hashpw("his password", BCrypt.gensalt(4)) + ":readonly\n");
        Map<String, String> properties = Map.of("tether.home", home.toString());
        BundleContext context = proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getProperty" -> properties.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
        AuthConfig config = proxy(AuthConfig.class, (name, args) -> switch (name) {
            case "authentication" -> authentication;
            case "usersFile" -> users.toString();
            case "keyDirectory" -> "";
            case "audience" -> "tether";
            case "sessionMinutes" -> 60;
            default -> throw new UnsupportedOperationException(name);
        });
        return new AuthFilter(context, config);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String sessionToken(Answer login) {
        String cookie = login.addedHeaders.stream().filter(h -> h.startsWith("Set-Cookie: "))
                .map(h -> h.substring("Set-Cookie: ".length())).findFirst().orElse(null);
        assertNotNull(cookie, "no session cookie: " + login.addedHeaders);
        return cookie.substring(AuthFilter.COOKIE.length() + 1, cookie.indexOf(';'));
    }

    private static Answer filter(AuthFilter filter, String method, String path, String authorization, String session)
            throws Exception {
        Answer answer = new Answer();
        HttpServletRequest request = proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getRequestURI" -> path;
            case "getContextPath" -> "";
            case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization
                    : "Sec-Fetch-Mode".equalsIgnoreCase((String) args[0]) ? "cors" : null;
            case "getCookies" -> session == null ? null : new Cookie[] { new Cookie(AuthFilter.COOKIE, session) };
            case "getRemoteAddr" -> "127.0.0.1";
            case "isSecure" -> false;
            default -> throw new UnsupportedOperationException(name);
        });
        HttpServletResponse response = proxy(HttpServletResponse.class, (name, args) -> {
            switch (name) {
                case "setStatus" -> answer.status = (int) args[0];
                case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                case "addHeader" -> answer.addedHeaders.add(args[0] + ": " + args[1]);
                case "setContentType", "setCharacterEncoding", "setContentLength", "flushBuffer" -> {
                }
                case "getOutputStream" -> {
                    return answer.out;
                }
                default -> throw new UnsupportedOperationException(name);
            }
            return null;
        });
        FilterChain chain = (req, res) -> answer.passedOn = true;
        filter.doFilter(request, response, chain);
        return answer;
    }

    private interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(WhoIsLoggedInTest.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> handler.handle(method.getName(), args));
    }

    private static final class Answer {
        int status;
        boolean passedOn;
        final Map<String, String> headers = new HashMap<>();
        final List<String> addedHeaders = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };

        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
