package io.tether.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The management API's first line: bounds the URI and the body before anything reads them, refuses a charset Java
 * does not know, reads a body only while the client has fewer than {@code maxBodiesPerClient} bodies in progress
 * (a stalled body holds a thread until Jetty's idle timeout), and answers every error in the API's format.
 */
@Component(service = Filter.class, configurationPid = EdgeConfig.PID, property = {
        "osgi.http.whiteboard.filter.name=tether.request-edge",
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.filter.asyncSupported=true",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)",
        "service.ranking:Integer=1000" })
@Designate(ocd = EdgeConfig.class)
public class RequestEdgeFilter implements Filter {
    private final long maxBodyBytes;
    private final int maxUriLength;
    private final ClientSlots bodies;

    @Activate
    public RequestEdgeFilter(EdgeConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxUriLength = config.maxUriLength();
        this.bodies = new ClientSlots(config.maxBodiesPerClient());
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String query = request.getQueryString();
        int uriLength = request.getRequestURI().length() + (query == null ? 0 : query.length() + 1);
        if (uriLength > maxUriLength) {
            refuse(response, 414, "request URI is longer than " + maxUriLength + " characters");
            return;
        }
        String charset = request.getCharacterEncoding();
        if (charset != null && !isSupported(charset)) {
            refuse(response, 415, "charset " + charset + " is not supported; send UTF-8");
            return;
        }
        long length = request.getContentLengthLong();
        if (length > maxBodyBytes) {
            refuse(response, 413, tooLarge());
            return;
        }
        if (length <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, new ErrorReportingResponse(response));
            return;
        }
        String client = request.getRemoteAddr();
        if (!bodies.tryAcquire(client)) {
            refuse(response, 429, "too many requests from " + client + " are sending a body at once (at most "
                    + bodies.limit() + ")");
            return;
        }
        byte[] body;
        try {
            body = readBounded(request.getInputStream());
        } catch (IOException e) {
            refuse(response, 408, "the request body did not arrive in time");
            return;
        } finally {
            bodies.release(client);
        }
        if (body == null) {
            refuse(response, 413, tooLarge());
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), new ErrorReportingResponse(response));
    }

    /** @return the body, or {@code null} as soon as it is longer than the limit */
    private byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            if (body.size() + (long) read > maxBodyBytes) {
                return null;
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private String tooLarge() {
        return "request body is larger than " + maxBodyBytes + " bytes";
    }

    private static boolean isSupported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Answers at once and closes the connection: the rest of the request is not read. */
    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setHeader("Connection", "close");
        ErrorReportingResponse.write(response, status, ErrorBodies.json(message));
    }
}
