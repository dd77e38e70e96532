package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;

import org.osgi.framework.BundleContext;
import org.springframework.security.crypto.bcrypt.BCrypt;

import io.tether.http.internal.RecordedResponse;

/** An {@link AuthFilter} over a users file of carol (admin) and dave (readonly), called without a server. */
final class FilterCalls {
    private final AuthFilter filter;

    /** @param settings AuthConfig settings other than the defaults, by name */
    FilterCalls(Path home, String authentication, Map<String, Object> settings) throws Exception {
        Path users = home.resolve("users");
        Files.writeString(users, "carol:" + BCrypt.hashpw("her password", BCrypt.gensalt(4)) + ":admin\n"
                + "dave:" + BCrypt.hashpw("his password", BCrypt.gensalt(4)) + ":readonly\n");
        Map<String, String> properties = Map.of("tether.home", home.toString());
        BundleContext context = proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getProperty" -> properties.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
        AuthConfig config = proxy(AuthConfig.class, (name, args) -> settings.containsKey(name) ? settings.get(name)
                : switch (name) {
                    case "authentication" -> authentication;
                    case "usersFile" -> users.toString();
                    case "keyDirectory" -> "";
                    case "audience" -> "tether";
                    case "sessionMinutes" -> 60;
                    case "maxFailedAuthentications" -> 5;
                    case "failureWindowSeconds" -> 300;
                    case "maxTrackedAddresses" -> 10000;
                    default -> throw new UnsupportedOperationException(name);
                });
        this.filter = new AuthFilter(context, config);
    }

    FilterCalls(Path home, String authentication) throws Exception {
        this(home, authentication, Map.of());
    }

    Answer call(String method, String path, String authorization, String session) throws Exception {
        return call("127.0.0.1", method, path, authorization, session);
    }

    Answer call(String client, String method, String path, String authorization, String session) throws Exception {
        Answer answer = new Answer();
        HttpServletRequest request = proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getRequestURI" -> path;
            case "getContextPath" -> "";
            case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization
                    : "Sec-Fetch-Mode".equalsIgnoreCase((String) args[0]) ? "cors" : null;
            case "getCookies" -> session == null ? null : new Cookie[] { new Cookie(AuthFilter.COOKIE, session) };
            case "getRemoteAddr" -> client;
            case "isSecure" -> false;
            default -> throw new UnsupportedOperationException(name);
        });
        FilterChain chain = (req, res) -> answer.passedOn = true;
        filter.doFilter(request, answer.response(), chain);
        return answer;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String sessionToken(Answer login) {
        String cookie = login.addedHeaders.stream().filter(h -> h.startsWith("Set-Cookie: "))
                .map(h -> h.substring("Set-Cookie: ".length())).findFirst().orElse(null);
        assertNotNull(cookie, "no session cookie: " + login.addedHeaders);
        return cookie.substring(AuthFilter.COOKIE.length() + 1, cookie.indexOf(';'));
    }

    private interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(FilterCalls.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> handler.handle(method.getName(), args));
    }

    /** The response, and whether the filter passed the request on. */
    static final class Answer extends RecordedResponse {
        boolean passedOn;
    }
}
