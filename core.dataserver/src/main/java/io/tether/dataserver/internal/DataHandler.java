package io.tether.dataserver.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.dataserver.EndpointRequest;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.HttpEndpointHandler;

/**
 * Routes each request to its endpoint: 404 for an unknown path, 405 for a method not registered, 413 for a body over
 * the limit, the CORS preflight of a known path, the upgrade of a WebSocket endpoint; otherwise reads the body and
 * hands the request to the endpoint's handler (which may block, on this thread).
 */
final class DataHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(DataHandler.class);

    private final Endpoints endpoints;
    private final ServerWebSocketContainer webSockets;
    private final long maxBodyBytes;
    private final boolean cors;

    DataHandler(Endpoints endpoints, ServerWebSocketContainer webSockets, long maxBodyBytes, boolean cors) {
        super(InvocationType.BLOCKING);
        this.endpoints = endpoints;
        this.webSockets = webSockets;
        this.maxBodyBytes = maxBodyBytes;
        this.cors = cors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Endpoints.PathEntry entry = endpoints.get(path);
        if (entry == null) {
            return refuse(request, response, callback, 404, "no endpoint at " + path);
        }
        String method = request.getMethod();
        if (cors) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        if (entry.webSocket() != null) {
            return upgrade(entry, request, response, callback);
        }
        if (method.equals(HttpMethod.OPTIONS.asString())) {
            return options(entry.allowed(), request, response, callback);
        }
        HttpEndpointHandler handler = entry.methods().get(method);
        if (handler == null) {
            response.getHeaders().put(HttpHeader.ALLOW, allow(entry.allowed()));
            return refuse(request, response, callback, 405, "method " + method + " is not allowed on " + path + "; use "
                    + String.join(" or ", entry.allowed()));
        }
        if (request.getLength() > maxBodyBytes) {
            return refuse(request, response, callback, 413, tooLarge());
        }
        byte[] body;
        try {
            body = readBounded(request);
        } catch (BodyTooLarge e) {
            return refuse(request, response, callback, 413, tooLarge());
        } catch (IOException e) {
            return answer(response, callback, 400, "the request body could not be read: " + e.getMessage());
        }
        EndpointRequest endpointRequest = new EndpointRequest(method, path, queryOf(request), headersOf(request),
                body, Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request));
        EndpointResponse answer;
        try {
            answer = handler.handle(endpointRequest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer(response, callback, 503, "the data server is stopping");
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} {} failed: {}", method, path, e.toString());
            return answer(response, callback, 500, "the endpoint failed: " + e.getMessage());
        }
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
    }

    private boolean upgrade(Endpoints.PathEntry entry, Request request, Response response, Callback callback) {
        if (webSockets.upgrade((upgradeRequest, upgradeResponse, upgradeCallback) -> new PeerEndpoint(
                entry.webSocket()), request, response, callback)) {
            return true;
        }
        return answer(response, callback, 400, "endpoint " + Request.getPathInContext(request)
                + " is a WebSocket endpoint: send a WebSocket upgrade request");
    }

    /** A CORS preflight, or a plain OPTIONS: the methods allowed. */
    private boolean options(Set<String> allowed, Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.ALLOW, allow(allowed));
        if (cors) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, allow(allowed));
            String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
            if (requested != null) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "86400");
        }
        response.setStatus(204);
        callback.succeeded();
        return true;
    }

    private static String allow(Set<String> allowed) {
        List<String> methods = new ArrayList<>(allowed);
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    private String tooLarge() {
        return "request body is larger than " + maxBodyBytes + " bytes";
    }

    private byte[] readBounded(Request request) throws IOException {
        long length = request.getLength();
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(maxBodyBytes + 1, length >= 0 ? length + 1 : maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw new BodyTooLarge();
            }
            return body;
        }
    }

    private static String queryOf(Request request) {
        String query = request.getHttpURI().getQuery();
        return query == null ? "" : query;
    }

    private static Map<String, List<String>> headersOf(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(field.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return headers;
    }

    /**
     * An answer before the body was read: the connection closes after it, so that a client does not send its next
     * request on a connection whose unread body the server may still be discarding.
     */
    private static boolean refuse(Request request, Response response, Callback callback, int status, String message) {
        if (request.getLength() != 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        return answer(response, callback, status, message);
    }

    private static boolean answer(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
