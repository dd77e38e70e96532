package io.tether.conn.http.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;
import io.tether.api.io.RawMessage;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/** The httppull source against a local server: its interval, incremental mode, failed polls, props. */
class HttpPullSourceTest {
    private TestServer server;
    private TestPool pool;
    private final HttpPullSourceProvider sources = new HttpPullSourceProvider();
    private final List<RecordingSourceContext> contexts = new ArrayList<>();
    private volatile String served = "{\"v\": 1}";

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().answer("/api/data", request -> TestServer.Answer.ok(served));
        pool = TestPool.create();
        pool.addType(HttpConnectorFactory.TYPE, new HttpConnectorFactory(),
                getClass().getResource("/" + HttpConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() {
        contexts.forEach(RecordingSourceContext::close);
        pool.close();
        server.close();
    }

    private RecordingSourceContext open(Object... props) throws Exception {
        Map<String, Object> all = new HashMap<>();
        all.put("url", server.url());
        for (int i = 0; i < props.length; i += 2) {
            all.put((String) props[i], props[i + 1]);
        }
        assertEquals(List.of(), sources.validate("/api/data", all));
        RecordingSourceContext context = new RecordingSourceContext(pool, "rule-" + contexts.size(), "source_pull");
        contexts.add(context);
        return context.open(sources.create("/api/data", all));
    }

    @Test
    void pollsEveryIntervalAndHandsTheBodyOnWithItsMetadata() throws Exception {
        RecordingSourceContext context = open("interval", 200);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String body = context.next(Poll.PATIENCE);
            assertEquals(served, body);
            times.add(System.nanoTime());
        }
        for (int i = 1; i < times.size(); i++) {
            long gap = (times.get(i) - times.get(i - 1)) / 1_000_000;
            assertTrue(gap >= 150, "polled again after " + gap + " ms, the interval is 200 ms");
        }
        List<TestServer.Request> polls = server.all.stream().filter(r -> r.path().equals("/api/data")).toList();
        assertEquals("GET", polls.get(0).method());
    }

    @Test
    void incrementalHandsOnOnlyChangedBodies() throws Exception {
        RecordingSourceContext context = open("interval", 20, "incremental", true);
        assertEquals(served, context.next(Poll.PATIENCE));
        int pollsBefore = server.all.size();
        Poll.until("several more polls", () -> server.all.size() > pollsBefore + 5);
        assertEquals(List.of(), context.drain(), "the same body again is not handed on");
        served = "{\"v\": 2}";
        assertEquals(served, context.next(Poll.PATIENCE));
        RawMessage message = context.messages.poll();
        assertEquals(null, message);
    }

    @Test
    void withoutIncrementalEveryPollIsHandedOn() throws Exception {
        RecordingSourceContext context = open("interval", 20);
        for (int i = 0; i < 3; i++) {
            assertEquals(served, context.next(Poll.PATIENCE));
        }
    }

    @Test
    void aFailedPollIsCountedAndTheNextOneTriesAgain() throws Exception {
        AtomicInteger failing = new AtomicInteger(3);
        server.answer("/api/data", request -> failing.getAndDecrement() > 0
                ? new TestServer.Answer(500, "", Duration.ZERO) : TestServer.Answer.ok(served));
        RecordingSourceContext context = open("interval", 20);
        assertEquals(served, context.next(Poll.PATIENCE));
        assertEquals(3, context.errors.stream().filter(e -> e.getMessage().contains("answered HTTP 500")).count(),
                "errors: " + context.errors);
    }

    @Test
    void postWithABodyAndResponseTypeBody() throws Exception {
        server.answer("/api/data", request -> TestServer.Answer.ok(request.body().contains("\"q\"")
                ? "{\"code\": 200, \"rows\": [1]}" : "{\"code\": 400}"));
        RecordingSourceContext context = open("interval", 50, "method", "POST", "body", "{\"q\": 1}",
                "responseType", "body");
        assertEquals("{\"code\": 200, \"rows\": [1]}", context.next(Poll.PATIENCE));
        assertEquals("application/json", server.all.stream().filter(r -> r.method().equals("POST")).findFirst()
                .orElseThrow().header("Content-Type"));
    }

    @Test
    void badPropsAreRefused() {
        Map<String, Object> base = Map.of("url", server.url());
        assertEquals(List.of(new PropError("method", "Not supported HTTP method OPTIONS.")),
                sources.validate("/x", with(base, "method", "options")));
        assertFalse(sources.validate("/x", with(base, "interval", 0)).isEmpty());
        assertFalse(sources.validate("/x", with(base, "incremental", "maybe")).isEmpty());
        assertFalse(sources.validate("/x", Map.of()).isEmpty(), "no url, no connectionSelector");
        assertEquals(List.of(), sources.validate("/x", Map.of("connectionSelector", "api")));
    }

    private static Map<String, Object> with(Map<String, Object> props, String key, Object value) {
        Map<String, Object> all = new HashMap<>(props);
        all.put(key, value);
        return all;
    }
}
