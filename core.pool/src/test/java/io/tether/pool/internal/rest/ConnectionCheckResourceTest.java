package io.tether.pool.internal.rest;

import static io.tether.pool.internal.rest.JaxRs.call;
import static io.tether.pool.internal.rest.JaxRs.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class ConnectionCheckResourceTest {
    private static final String REACHABLE = "{\"server\": \"tcp://reachable:1883\"}";

    private final FakeConnectionPool pool = new FakeConnectionPool();
    private final ConnectionCheckResource resource = new ConnectionCheckResource(pool, timeoutMillis(5000));

    static ConnectionCheckResource.Config timeoutMillis(long millis) {
        return new ConnectionCheckResource.Config() {
            @Override
            public long timeoutMillis() {
                return millis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ConnectionCheckResource.Config.class;
            }
        };
    }

    @Test
    void answers200WithoutBodyWhenTheSourcePropsConnect() {
        Response response = call(() -> resource.checkSource("mqtt", REACHABLE));

        assertEquals(200, response.getStatus());
        assertNull(response.getEntity());
        assertEquals(Duration.ofSeconds(5), pool.lastCheckTimeout);
        assertTrue(pool.list(true).isEmpty(), "nothing is stored");
    }

    @Test
    void answers200WithoutBodyWhenTheSinkPropsConnect() {
        Response response = call(() -> resource.checkSink("mqtt", REACHABLE));

        assertEquals(200, response.getStatus());
        assertNull(response.getEntity());
    }

    @Test
    void boundsTheCheckByTheConfiguredTimeout() {
        ConnectionCheckResource configured = new ConnectionCheckResource(pool, timeoutMillis(1500));

        call(() -> configured.checkSource("mqtt", REACHABLE));

        assertEquals(Duration.ofMillis(1500), pool.lastCheckTimeout);
    }

    @Test
    void answers400WithCode1003WhenUnreachable() {
        String body = "{\"server\": \"tcp://127.0.0.1:1\"}";

        assertEquals("dial tcp://127.0.0.1:1: connection refused",
                errorMessage(call(() -> resource.checkSource("mqtt", body)), 400, 1003));
        assertEquals("dial tcp://127.0.0.1:1: connection refused",
                errorMessage(call(() -> resource.checkSink("mqtt", body)), 400, 1003));
    }

    @Test
    void answers400NamingTheSourceWhenTheTypeCannotCheck() {
        assertEquals("source httppush doesn't support ping connection",
                errorMessage(call(() -> resource.checkSource("httppush", "{}")), 400, 1000));
    }

    @Test
    void answers400NamingTheSinkWhenTheTypeCannotCheck() {
        assertEquals("sink httppush doesn't support ping connection",
                errorMessage(call(() -> resource.checkSink("httppush", "{}")), 400, 1000));
    }

    @Test
    void answers400ForAnUnknownType() {
        String message = errorMessage(call(() -> resource.checkSource("kafka", "{}")), 400, 1000);

        assertTrue(message.startsWith("connector type 'kafka' is not installed"), message);
    }

    @Test
    void answers400ForInvalidProps() {
        String body = "{\"server\": \"udp://x\"}";

        assertEquals("invalid props: server: must be a tcp:// URL",
                errorMessage(call(() -> resource.checkSink("mqtt", body)), 400, 1000));
    }

    @Test
    void answers400WhenTheBodyIsNotAJsonObject() {
        assertTrue(errorMessage(call(() -> resource.checkSource("mqtt", "")), 400, 1000)
                .startsWith("request body is empty"));
        assertTrue(errorMessage(call(() -> resource.checkSource("mqtt", "{server")), 400, 1000)
                .startsWith("request body is not valid JSON"));
        assertEquals("request body must be a JSON object, not an array",
                errorMessage(call(() -> resource.checkSink("mqtt", "[]")), 400, 1000));
    }
}
