package io.tether.http.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.http.internal.ErrorBodies;
import io.tether.http.internal.ErrorReportingResponse;

/**
 * Who may use the management port (README, "Authentication"). Off by default. When on, every request but
 * {@code GET /ping} and the status page's files ({@code GET /ui/...}) needs a user: HTTP Basic against the users file,
 * a JWT (RS256) as a bearer token, or the session cookie that {@code POST /login} sets for a browser (an
 * {@code EventSource} cannot send an {@code Authorization} header). No user: 401; a {@code readonly} user asking for
 * more than GET or HEAD: 403. A client address with too many failed credentials of late is refused (429) whatever
 * credentials it sends ({@link AuthFailures}); a session cookie still works. It runs before the request edge, so that
 * nothing of a refused request's body is read. {@code GET /login} tells the page who is logged in (with authentication
 * off: nobody, with the admin role).
 */
@Component(service = Filter.class, configurationPid = AuthConfig.PID, property = {
        "osgi.http.whiteboard.filter.name=tether.auth",
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.filter.asyncSupported=true",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)",
        "service.ranking:Integer=2000" })
@Designate(ocd = AuthConfig.class)
public class AuthFilter implements Filter {
    static final String COOKIE = "tether_session";
    static final String HOST_PROPERTY = "org.apache.felix.http.host";
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD");
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Method {
        BASIC, JWT
    }

    private final Set<Method> methods;
    /** The setting that could not be understood; every request is refused while it stands. */
    private final String misconfigured;
    /** The users of Basic authentication; {@code null} when it is off. */
    private final UserFile users;
    /** The JWT verifier; {@code null} when JWT authentication is off. */
    private final JwtVerifier tokens;
    private final Sessions sessions;
    private final AuthFailures failures;

    @Activate
    public AuthFilter(BundleContext context, AuthConfig config) {
        String setting = config.authentication().isBlank() ? property(context, "tether.auth", "none")
                : config.authentication();
        Set<Method> parsed = parse(setting);
        this.methods = parsed == null ? Set.of() : parsed;
        this.misconfigured = parsed == null ? setting : null;
        Path mgmt = Path.of(property(context, "tether.home", env("TETHER_HOME", "."))).resolve("etc").resolve("mgmt");
        this.users = methods.contains(Method.BASIC)
                ? new UserFile(config.usersFile().isBlank() ? mgmt.resolve("users") : Path.of(config.usersFile()))
                : null;
        this.tokens = methods.contains(Method.JWT)
                ? new JwtVerifier(config.keyDirectory().isBlank() ? mgmt : Path.of(config.keyDirectory()),
                        config.audience())
                : null;
        this.sessions = new Sessions(Math.max(1, config.sessionMinutes()) * 60_000L);
        this.failures = new AuthFailures(config.maxFailedAuthentications(),
                Math.max(1, config.failureWindowSeconds()) * 1000L, config.maxTrackedAddresses());
        report(context.getProperty(HOST_PROPERTY));
    }

    private void report(String host) {
        if (misconfigured != null) {
            LOG.error("authentication = '{}' is not understood (none, basic, jwt or basic,jwt): the management API "
                    + "refuses every request until it is corrected", misconfigured);
            return;
        }
        if (methods.isEmpty()) {
            if (!BindAddress.isLoopbackOnly(host)) {
                LOG.warn("The management API listens on {} without authentication: anyone who reaches this port "
                        + "can change every connection. Set authentication (PID {}) or bind to 127.0.0.1",
                        host == null || host.isBlank() ? "every address" : host, AuthConfig.PID);
            }
            return;
        }
        if (methods.contains(Method.BASIC)) {
            LOG.info("Basic authentication on; users file {} ({} users)", users.file(), users.users());
        }
        if (methods.contains(Method.JWT)) {
            LOG.info("JWT authentication on; public keys in {}", tokens.keyDirectory());
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (methods.isEmpty() && misconfigured == null) {
            if (path.equals("/login") && isRead(request)) {
                // nobody logs in: everyone may do everything
                response.setHeader("Cache-Control", "no-store");
                writeJson(response, 200, Map.of("role", Role.ADMIN.text()));
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (misconfigured != null) {
            refuse(response, 503, "the management API's authentication setting is not understood; see the log");
            return;
        }
        if (path.equals("/ping") || isStatusPageFile(request, path)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getHeader("Authorization") != null) {
            long lockedFor = failures.lockedForMillis(request.getRemoteAddr(), System.currentTimeMillis());
            if (lockedFor > 0) {
                long seconds = (lockedFor + 999) / 1000;
                response.setHeader("Retry-After", Long.toString(seconds));
                refuse(response, 429, "too many failed authentications from this address: try again in " + seconds
                        + " s");
                return;
            }
        }
        if (path.equals("/login")) {
            login(request, response);
            return;
        }
        if (path.equals("/logout")) {
            logout(request, response);
            return;
        }
        Principal principal;
        try {
            principal = authenticate(request, true);
        } catch (AuthException e) {
            LOG.debug("Refused {} {} from {}: {}", request.getMethod(), path, request.getRemoteAddr(), e.getMessage());
            unauthorized(request, response, e.getMessage());
            return;
        }
        if (principal == null) {
            unauthorized(request, response, "authentication required: " + howToAuthenticate());
            return;
        }
        if (!principal.mayWrite() && !isRead(request)) {
            refuse(response, 403, "user " + principal.name() + " has the readonly role: it may only read (GET)");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The status page's static files hold no data; they must load without a user to show the login form. */
    private static boolean isStatusPageFile(HttpServletRequest request, String path) {
        return isRead(request) && (path.equals("/ui") || path.startsWith("/ui/"));
    }

    private static boolean isRead(HttpServletRequest request) {
        return READS.contains(request.getMethod().toUpperCase(Locale.ROOT));
    }

    /** @return the user, or {@code null} when the request carries no credentials */
    private Principal authenticate(HttpServletRequest request, boolean cookieAccepted) throws AuthException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String[] parts = authorization.strip().split("\\s+", 2);
            String scheme = parts[0].toLowerCase(Locale.ROOT);
            String credentials = parts.length == 2 ? parts[1] : "";
            if (scheme.equals("basic") && methods.contains(Method.BASIC)) {
                return basic(request.getRemoteAddr(), credentials);
            }
            if (scheme.equals("bearer") && methods.contains(Method.JWT)) {
                // a signature cannot be guessed: all tokens are one claimant
                return counted(request.getRemoteAddr(), "jwt",
                        () -> tokens.verify(credentials, System.currentTimeMillis()));
            }
            throw new AuthException("the " + parts[0] + " scheme is not accepted: " + howToAuthenticate());
        }
        String session = cookieAccepted ? sessionCookie(request) : null;
        if (session == null) {
            return null;
        }
        return sessions.find(session, System.currentTimeMillis())
                .orElseThrow(() -> new AuthException("the session has ended: log in again (POST /login)"));
    }

    private interface Verification {
        Principal verify() throws AuthException;
    }

    /**
     * Counts the credentials' failure against the client's address, held against the claimant they name, or forgets
     * that claimant's failures when they pass.
     */
    private Principal counted(String address, String claimant, Verification verification) throws AuthException {
        try {
            Principal principal = verification.verify();
            failures.succeeded(address, claimant, System.currentTimeMillis());
            return principal;
        } catch (AuthException e) {
            if (failures.failed(address, claimant, System.currentTimeMillis())) {
                LOG.warn("Client {} locked out for {} s after {} failed authentications", address,
                        failures.windowMillis() / 1000, failures.limit());
            }
            throw e;
        }
    }

    /** Basic credentials, decoded once: their failure is held against the user they name ("" when unreadable). */
    private Principal basic(String address, String credentials) throws AuthException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            decoded = null;
        }
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        String user = colon < 0 ? "" : decoded.substring(0, colon);
        String password = colon < 0 ? null : decoded.substring(colon + 1);
        boolean base64 = decoded != null;
        return counted(address, "basic:" + user, () -> {
            if (!base64) {
                throw new AuthException("the Basic credentials are not base64");
            }
            if (password == null) {
                throw new AuthException("the Basic credentials are not user:password");
            }
            return users.verify(user, password);
        });
    }

    /**
     * {@code POST /login} with Basic or a JWT: 200 {user, role} and a session cookie for the browser.
     * {@code GET /login}: who the request's session (or credentials) belongs to, so that a reloaded page shows it.
     */
    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isRead(request)) {
            whoIsLoggedIn(request, response);
            return;
        }
        if (!request.getMethod().equalsIgnoreCase("POST")) {
            refuse(response, 405, "log in with POST /login; GET /login tells who is logged in");
            return;
        }
        Principal principal;
        try {
            principal = authenticate(request, false);
        } catch (AuthException e) {
            LOG.info("Login refused from {}: {}", request.getRemoteAddr(), e.getMessage());
            unauthorized(request, response, e.getMessage());
            return;
        }
        if (principal == null) {
            unauthorized(request, response, "log in with " + howToAuthenticate());
            return;
        }
        String token = sessions.open(principal, System.currentTimeMillis());
        response.addHeader("Set-Cookie", cookie(token, sessions.lifetimeMillis() / 1000, request.isSecure()));
        LOG.info("User {} ({}) logged in from {}", principal.name(), principal.role().text(), request.getRemoteAddr());
        writeJson(response, 200, Map.of("user", principal.name(), "role", principal.role().text()));
    }

    /** 200 {user, role}, nothing else of the session; 401 when there is no user or the session has ended. */
    private void whoIsLoggedIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal principal;
        try {
            principal = authenticate(request, true);
        } catch (AuthException e) {
            unauthorized(request, response, e.getMessage());
            return;
        }
        if (principal == null) {
            unauthorized(request, response, "nobody is logged in: log in with POST /login and " + howToAuthenticate());
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        writeJson(response, 200, Map.of("user", principal.name(), "role", principal.role().text()));
    }

    /** {@code POST /logout}: ends the cookie's session. */
    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equalsIgnoreCase("POST")) {
            refuse(response, 405, "log out with POST /logout");
            return;
        }
        String token = sessionCookie(request);
        if (token != null) {
            sessions.close(token);
        }
        response.addHeader("Set-Cookie", cookie("", 0, request.isSecure()));
        writeJson(response, 200, Map.of());
    }

    static String cookie(String token, long maxAgeSeconds, boolean secure) {
        return COOKIE + "=" + token + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private static String sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(COOKIE) && !cookie.getValue().isEmpty()) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private String howToAuthenticate() {
        return methods.equals(EnumSet.of(Method.BASIC)) ? "HTTP Basic"
                : methods.equals(EnumSet.of(Method.JWT)) ? "a bearer JWT" : "HTTP Basic or a bearer JWT";
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        if (methods.contains(Method.BASIC) && !fromPageScript(request)) {
            response.addHeader("WWW-Authenticate", "Basic realm=\"tether\", charset=\"UTF-8\"");
        }
        if (methods.contains(Method.JWT)) {
            response.addHeader("WWW-Authenticate", "Bearer realm=\"tether\"");
        }
        refuse(response, 401, message);
    }

    /**
     * A request that a page's script sent (fetch, EventSource) rather than the browser navigating: a Basic challenge
     * in its 401 would make the browser pop up its own login dialog over the status page, which logs in by itself.
     */
    static boolean fromPageScript(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        return (mode != null && !mode.equalsIgnoreCase("navigate")) || request.getHeader("X-Requested-With") != null;
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        ErrorReportingResponse.write(response, status, ErrorBodies.json(message));
    }

    private static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write the answer", e);
        }
        ErrorReportingResponse.write(response, status, bytes);
    }

    /** {@code none} → no method; {@code null} when the text is not understood. */
    static Set<Method> parse(String setting) {
        Set<Method> parsed = EnumSet.noneOf(Method.class);
        for (String part : setting.toLowerCase(Locale.ROOT).split("[,+\\s]+")) {
            switch (part) {
                case "", "none" -> {
                }
                case "basic" -> parsed.add(Method.BASIC);
                case "jwt" -> parsed.add(Method.JWT);
                default -> {
                    return null;
                }
            }
        }
        return parsed;
    }

    private static String property(BundleContext context, String name, String fallback) {
        String value = context.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
