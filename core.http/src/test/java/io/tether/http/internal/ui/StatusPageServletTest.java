package io.tether.http.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

import io.tether.http.internal.RecordedResponse;

class StatusPageServletTest {
    private final StatusPageServlet servlet = new StatusPageServlet();

    @Test
    void theFolderServesTheIndexWithAPolicyThatKeepsThePageToItsOrigin() throws Exception {
        RecordedResponse answer = get("/");
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
            RecordedResponse answer = get(path);
            assertEquals(404, answer.status, path);
            assertTrue(answer.error.contains("no file"), answer.error);
        }
    }

    @Test
    void thePageWithoutItsSlashIsRedirectedSoThatRelativeLinksWork() throws Exception {
        RecordedResponse answer = get(null);
        assertEquals(301, answer.status);
        assertEquals("/ui/", answer.headers.get("Location"));
    }

    private RecordedResponse get(String pathInfo) throws Exception {
        RecordedResponse answer = new RecordedResponse();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getContextPath" -> "";
                    case "getMethod" -> "GET";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        servlet.doGet(request, answer.response());
        if (answer.status == 200) {
            assertEquals(answer.length, answer.bodyLength());
        }
        return answer;
    }
}
