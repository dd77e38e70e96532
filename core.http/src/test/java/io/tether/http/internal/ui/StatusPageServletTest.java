package io.tether.http.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class StatusPageServletTest {
    private final StatusPageServlet servlet = new StatusPageServlet();

    @Test
    void theFolderServesTheIndexWithAPolicyThatKeepsThePageToItsOrigin() throws Exception {
        Answer answer = get("/");
        assertEquals(200, answer.status);
        assertEquals("text/html; charset=UTF-8", answer.contentType);
        assertTrue(answer.body().contains("<script type=\"module\" src=\"app.js\">"), answer.body());
        assertTrue(answer.headers.get("Content-Security-Policy").contains("default-src 'none'"));
        assertEquals("nosniff", answer.headers.get("X-Content-Type-Options"));
    }

    @Test
    void everyFileThePageLoadsIsServedWithItsType() throws Exception {
        assertEquals("text/javascript; charset=UTF-8", get("/app.js").contentType);
        assertEquals("text/javascript; charset=UTF-8", get("/api.js").contentType);
        assertEquals("text/javascript; charset=UTF-8", get("/schema-form.js").contentType);
        assertEquals("text/css; charset=UTF-8", get("/style.css").contentType);
        assertEquals("image/svg+xml", get("/favicon.svg").contentType);
    }

    @Test
    void anyOtherNameIsNotFound() throws Exception {
        for (String path : new String[] { "/nope.js", "/../bnd.bnd", "/tether-ui/index.html", "/index.html/" }) {
            Answer answer = get(path);
            assertEquals(404, answer.status, path);
            assertTrue(answer.error.contains("no file"), answer.error);
        }
    }

    @Test
    void thePageWithoutItsSlashIsRedirectedSoThatRelativeLinksWork() throws Exception {
        Answer answer = get(null);
        assertEquals(301, answer.status);
        assertEquals("/ui/", answer.headers.get("Location"));
    }

    private Answer get(String pathInfo) throws Exception {
        Answer answer = new Answer();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getContextPath" -> "";
                    case "getMethod" -> "GET";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> answer.status = (int) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> answer.contentType = (String) args[0];
                        case "setContentLength" -> answer.length = (int) args[0];
                        case "sendError" -> {
                            answer.status = (int) args[0];
                            answer.error = (String) args[1];
                        }
                        case "getOutputStream" -> {
                            return answer.out;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        servlet.doGet(request, response);
        if (answer.status == 200) {
            assertEquals(answer.length, answer.bytes.size());
        }
        return answer;
    }

    private static final class Answer {
        int status = 200;
        int length = -1;
        String contentType;
        String error = "";
        final Map<String, String> headers = new HashMap<>();
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
