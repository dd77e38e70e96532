package io.tether.http.internal.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * The status page at {@code /ui/}: a few static files (plain HTML, CSS and JavaScript modules, no build step, nothing
 * fetched from elsewhere) that use the management API from the browser. Served on the management port only, through
 * the HTTP whiteboard's default context like the API, so the same filters (limits, authentication) apply; the files
 * hold no data, so {@code AuthFilter} lets them through to show the login form.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.name=tether.status-page",
        "osgi.http.whiteboard.servlet.pattern=/ui",
        "osgi.http.whiteboard.servlet.pattern=/ui/*" })
public class StatusPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String FOLDER = "tether-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "style.css", "text/css; charset=UTF-8",
            "app.js", "text/javascript; charset=UTF-8",
            "api.js", "text/javascript; charset=UTF-8",
            "schema-form.js", "text/javascript; charset=UTF-8",
            "favicon.svg", "image/svg+xml");
    /** Everything the page needs comes from this origin; the page may not be framed (clickjacking). */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> files = new HashMap<>();

    public StatusPageServlet() {
        for (String name : TYPES.keySet()) {
            try (InputStream in = StatusPageServlet.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("the bundle lacks " + FOLDER + name);
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FOLDER + name, e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getContextPath() + "/ui/");
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        byte[] body = files.get(name);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "the status page has no file " + path);
            return;
        }
        response.setContentType(TYPES.get(name));
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", POLICY);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
