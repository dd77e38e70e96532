package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

class PageScriptChallengeTest {

    @Test
    void aPageScriptGetsNoBasicChallengeWhileNavigationAndPlainClientsDo() {
        assertTrue(AuthFilter.fromPageScript(request(Map.of("Sec-Fetch-Mode", "cors"))), "fetch, EventSource");
        assertTrue(AuthFilter.fromPageScript(request(Map.of("Sec-Fetch-Mode", "same-origin"))));
        assertTrue(AuthFilter.fromPageScript(request(Map.of("X-Requested-With", "fetch"))), "a browser without Sec-Fetch");
        assertFalse(AuthFilter.fromPageScript(request(Map.of("Sec-Fetch-Mode", "navigate"))), "typing the URL");
        assertFalse(AuthFilter.fromPageScript(request(Map.of())), "curl");
    }

    private static HttpServletRequest request(Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(PageScriptChallengeTest.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getHeader")) {
                        return headers.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
