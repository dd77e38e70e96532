package io.tether.http.internal;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;

/** A servlet response for tests without a server: it records what is set on it and written to it. */
public class RecordedResponse {
    public int status = 200;
    public int length = -1;
    public String contentType;
    public String error = "";
    public final Map<String, String> headers = new HashMap<>();
    public final List<String> addedHeaders = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ServletOutputStream out = new ServletOutputStream() {
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
    private final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            RecordedResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "setStatus" -> status = (int) args[0];
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "addHeader" -> addedHeaders.add(args[0] + ": " + args[1]);
                    case "setContentType" -> contentType = (String) args[0];
                    case "setContentLength" -> length = (int) args[0];
                    case "sendError" -> {
                        status = (int) args[0];
                        error = (String) args[1];
                    }
                    case "setCharacterEncoding", "flushBuffer" -> {
                    }
                    case "getOutputStream" -> {
                        return out;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    public HttpServletResponse response() {
        return response;
    }

    public String body() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public int bodyLength() {
        return bytes.size();
    }
}
