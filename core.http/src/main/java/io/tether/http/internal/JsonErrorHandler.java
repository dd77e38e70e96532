package io.tether.http.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request its parser refuses: 400, 414, 431, ...; a failure outside any servlet) in the
 * API's format instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorBodies.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(ErrorBodies.fromServer(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ErrorBodies.CONTENT_TYPE);
        return ByteBuffer.wrap(ErrorBodies.fromServer(status, reason));
    }
}
