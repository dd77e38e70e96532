package io.tether.conn.http.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.Status;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.TestPool;

/**
 * An OAuth token endpoint that issues tokens valid for one second, and a resource that refuses any other: a rest
 * sink that sends for three seconds renews its token before it expires (by refresh, or by access again), so that
 * every request is accepted.
 */
class OAuthTest {
    private static final String CLIENT_SECRET = "client-s3cret";
    private static final Duration LIFETIME = Duration.ofSeconds(1);

    private TestServer server;
    private TestPool pool;
    /** Token → when it expires (nanoTime). */
    private final Map<String, Long> issued = new ConcurrentHashMap<>();
    private final AtomicInteger accessRequests = new AtomicInteger();
    private final AtomicInteger refreshRequests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private RecordingSinkContext context;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        server.answer("/token", request -> {
            if (!request.body().contains(CLIENT_SECRET)) {
                return new TestServer.Answer(401, "", Duration.ZERO);
            }
            accessRequests.incrementAndGet();
            return TestServer.Answer.ok(issue("\"refresh_token\": \"r-" + System.nanoTime() + "\", "));
        });
        server.answer("/refresh", request -> {
            String refreshToken = request.header("X-Refresh");
            if (refreshToken == null || !refreshToken.startsWith("r-")) {
                return new TestServer.Answer(401, "", Duration.ZERO);
            }
            refreshRequests.incrementAndGet();
            return TestServer.Answer.ok(issue(""));
        });
        server.answer("/api/data", request -> {
            String authorization = request.header("Authorization");
            String token = authorization == null ? "" : authorization.replace("Bearer ", "");
            Long expires = issued.get(token);
            if (expires == null || System.nanoTime() > expires) {
                refused.incrementAndGet();
                return new TestServer.Answer(401, "", Duration.ZERO);
            }
            used.add(token);
            return TestServer.Answer.ok("");
        });
        pool = TestPool.create();
        pool.addType(HttpConnectorFactory.TYPE, new HttpConnectorFactory(),
                getClass().getResource("/" + HttpConnectorFactory.SCHEMA));
    }

    private String issue(String extra) {
        String token = "t-" + System.nanoTime();
        issued.put(token, System.nanoTime() + LIFETIME.toNanos());
        return "{\"access_token\": \"" + token + "\", " + extra + "\"expires_in\": " + LIFETIME.toSeconds() + "}";
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        pool.close();
        server.close();
    }

    private void sendForThreeSeconds(Map<String, Object> oauth) throws Exception {
        Map<String, Object> props = Map.of("url", server.url() + "/api/data", "method", "post", "oauth", oauth);
        RestSinkProvider sinks = new RestSinkProvider();
        assertEquals(List.of(), sinks.validate(props));
        context = new RecordingSinkContext(pool, "oauth-rule", "sink_rest_0", false);
        context.open(sinks.create(props));
        Poll.until("connected with a token", () -> context.states().contains(Status.CONNECTED),
                () -> context.states() + " " + pool.list(true));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int sent = 0;
        while (System.nanoTime() < end) {
            context.sink().send(List.of(Map.of("n", sent++))).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Thread.sleep(50);
        }
        assertEquals(0, refused.get(), "requests refused for an expired token");
        assertTrue(used.size() >= 3, "tokens of one second used over three seconds: " + used.size());
    }

    @Test
    void tokensAreRefreshedBeforeTheyExpire() throws Exception {
        sendForThreeSeconds(Map.of(
                "access", Map.of("url", server.url() + "/token", "body", "{\"client_secret\": \"" + CLIENT_SECRET + "\"}"),
                "refresh", Map.of("url", server.url() + "/refresh", "headers", Map.of("X-Refresh", "{{.refresh_token}}"))));
        assertEquals(1, accessRequests.get(), "one access, then refreshes");
        assertTrue(refreshRequests.get() >= 2, "refreshes: " + refreshRequests.get());
    }

    @Test
    void withoutRefreshTheAccessRequestIsRepeated() throws Exception {
        sendForThreeSeconds(Map.of("access", Map.of("url", server.url() + "/token",
                "body", Map.of("client_secret", CLIENT_SECRET), "expire", "1")));
        assertTrue(accessRequests.get() >= 3, "access requests: " + accessRequests.get());
    }

    @Test
    void refusedCredentialsStopTheDialsAndStayHidden() {
        Map<String, Object> props = Map.of("url", server.url() + "/api/data", "oauth", Map.of("access",
                Map.of("url", server.url() + "/token", "body", "{\"client_secret\": \"wrong-s3cret\"}")));
        pool.create("refused", HttpConnectorFactory.TYPE, props);
        String err = pool.awaitStatus("refused", Status.DISCONNECTED, "oauth access token request").status().err();
        assertTrue(err.contains("answered HTTP 401"), err);
        assertFalse(err.contains("wrong-s3cret"), err);
        assertFalse(pool.get("refused").orElseThrow().props().toString().contains("wrong-s3cret"),
                "the body is masked: " + pool.get("refused").orElseThrow().props());
    }
}
