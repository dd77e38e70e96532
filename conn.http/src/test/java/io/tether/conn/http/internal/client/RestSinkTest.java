package io.tether.conn.http.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.TestPool;

/** The rest sink against a local server: methods, body types, headers, failures sorted, time bounded. */
class RestSinkTest {
    private TestServer server;
    private TestPool pool;
    private final RestSinkProvider sinks = new RestSinkProvider();
    private final List<RecordingSinkContext> contexts = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        pool = TestPool.create();
        pool.addType(HttpConnectorFactory.TYPE, new HttpConnectorFactory(),
                getClass().getResource("/" + HttpConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() {
        contexts.forEach(RecordingSinkContext::close);
        pool.close();
        server.close();
    }

    private RecordingSinkContext open(boolean sendSingle, Object... props) throws Exception {
        Map<String, Object> all = new HashMap<>();
        all.put("url", server.url() + "/api/data");
        for (int i = 0; i < props.length; i += 2) {
            all.put((String) props[i], props[i + 1]);
        }
        assertEquals(List.of(), sinks.validate(all));
        RecordingSinkContext context = new RecordingSinkContext(pool, "rule-" + contexts.size(), "sink_rest_0",
                sendSingle);
        contexts.add(context);
        context.open(sinks.create(all));
        Poll.until("the sink's connection is connected",
                () -> !context.states().isEmpty() && context.states().get(context.states().size() - 1) == Status.CONNECTED,
                context::states);
        return context;
    }

    private static void sent(RecordingSinkContext context, Map<String, Object>... records) throws Exception {
        context.sink().send(List.of(records)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static DeliveryException failure(RecordingSinkContext context, Map<String, Object> record) {
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> context.sink().send(List.of(record)).toCompletableFuture().get(10, TimeUnit.SECONDS));
        return assertInstanceOf(DeliveryException.class, failed.getCause());
    }

    @Test
    void eachMethodReachesTheServerWithTheEmissionAsJson() throws Exception {
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            RecordingSinkContext context = open(false, "method", method.toLowerCase());
            sent(context, Map.of("temperature", 21));
            TestServer.Request request = server.next();
            assertEquals(method, request.method());
            assertEquals("/api/data", request.path());
            assertEquals("[{\"temperature\":21}]", request.body());
            assertEquals("application/json", request.header("Content-Type"));
        }
        RecordingSinkContext get = open(false);
        sent(get, Map.of("temperature", 21));
        TestServer.Request request = server.next();
        assertEquals("GET", request.method(), "eKuiper's default method");
        assertEquals("", request.body(), "GET sends no body by default (bodyType none)");
    }

    @Test
    void bodyTypesSetTheContentTypeAndTheBody() throws Exception {
        Map<String, String> contentTypes = Map.of("text", "text/plain", "html", "text/html", "xml", "application/xml",
                "javascript", "application/javascript", "binary", "application/octet-stream");
        for (Map.Entry<String, String> type : contentTypes.entrySet()) {
            RecordingSinkContext context = open(true, "method", "post", "bodyType", type.getKey());
            sent(context, Map.of("a", 1));
            TestServer.Request request = server.next();
            assertEquals(type.getValue(), request.header("Content-Type"), type.getKey());
            assertEquals("{\"a\":1}", request.body(), type.getKey());
        }
        RecordingSinkContext form = open(false, "method", "post", "bodyType", "form");
        sent(form, new java.util.LinkedHashMap<>(Map.of("name", "a b&c")), Map.of("name", "second"));
        TestServer.Request first = server.next();
        assertEquals("application/x-www-form-urlencoded", first.header("Content-Type"));
        assertEquals("name=a+b%26c", first.body());
        assertEquals("name=second", server.next().body(), "one form per record");

        RecordingSinkContext none = open(false, "method", "post", "bodyType", "none");
        sent(none, Map.of("a", 1));
        assertEquals("", server.next().body());
    }

    @Test
    void headerPlaceholdersTakeTheRecordsFields() throws Exception {
        RecordingSinkContext context = open(true, "method", "post", "headers",
                Map.of("X-Device", "dev-{{.id}}", "X-Site", "{{.where.site}}", "X-Fixed", "yes"));
        sent(context, Map.of("id", 7, "where", Map.of("site", "north")), Map.of("other", 1));
        TestServer.Request first = server.next();
        assertEquals("dev-7", first.header("X-Device"));
        assertEquals("north", first.header("X-Site"));
        assertEquals("yes", first.header("X-Fixed"));
        TestServer.Request second = server.next();
        assertNull(second.header("X-Device"), "a header whose field is missing is left out");
        assertEquals("yes", second.header("X-Fixed"));
    }

    @Test
    void aServerErrorIsRetryableAndARefusalPermanent() throws Exception {
        RecordingSinkContext context = open(false, "method", "post");
        server.answer("/api/data", new TestServer.Answer(503, "", Duration.ZERO));
        DeliveryException unavailable = failure(context, Map.of("a", 1));
        assertTrue(unavailable.isRetryable(), unavailable.getMessage());
        assertTrue(unavailable.getMessage().contains("answered HTTP 503"), unavailable.getMessage());

        server.answer("/api/data", new TestServer.Answer(400, "", Duration.ZERO));
        DeliveryException refused = failure(context, Map.of("a", 1));
        assertFalse(refused.isRetryable(), refused.getMessage());
        assertTrue(refused.getMessage().contains("answered HTTP 400"), refused.getMessage());

        server.answer("/api/data", TestServer.Answer.ok(""));
        sent(context, Map.of("a", 1));
    }

    @Test
    void emissionsReachTheServerInOrderAndThoseBehindARetryableFailureAreHeldBack() throws Exception {
        RecordingSinkContext context = open(true, "method", "post");
        List<CompletableFuture<Void>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outcomes.add(context.sink().send(List.of(Map.of("n", i))).toCompletableFuture());
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            assertEquals("{\"n\":" + i + "}", server.next().body());
        }

        server.answer("/api/data", new TestServer.Answer(503, "", Duration.ofMillis(200)));
        CompletableFuture<Void> first = context.sink().send(List.of(Map.of("n", "a"))).toCompletableFuture();
        CompletableFuture<Void> second = context.sink().send(List.of(Map.of("n", "b"))).toCompletableFuture();
        ExecutionException held = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> second.get(10, TimeUnit.SECONDS));
        assertTrue(((DeliveryException) held.getCause()).isRetryable(), held.getCause().getMessage());
        assertTrue(first.isCompletedExceptionally());
        assertEquals("{\"n\":\"a\"}", server.next().body());
        Thread.sleep(300);
        assertEquals(List.of(), server.requests.stream().filter(r -> !r.method().equals("HEAD")).toList(),
                "the emission behind the failed one is not sent");
    }

    @Test
    void responseTypeBodyReadsTheCodeOfTheAnswer() throws Exception {
        RecordingSinkContext context = open(false, "method", "post", "responseType", "body");
        server.answer("/api/data", TestServer.Answer.ok("{\"code\": 200, \"message\": \"ok\"}"));
        sent(context, Map.of("a", 1));
        server.answer("/api/data", TestServer.Answer.ok("{\"code\": 500}"));
        assertTrue(failure(context, Map.of("a", 1)).isRetryable());
        server.answer("/api/data", TestServer.Answer.ok("{\"code\": 404}"));
        assertFalse(failure(context, Map.of("a", 1)).isRetryable());
    }

    @Test
    void aSlowServerFailsTheEmissionWithinTheTimeoutAndTheSendNeverWaits() throws Exception {
        RecordingSinkContext context = open(false, "method", "post", "timeout", 300);
        server.answer("/api/data", new TestServer.Answer(200, "", Duration.ofSeconds(5)));
        long start = System.nanoTime();
        CompletableFuture<Void> outcome = context.sink().send(List.of(Map.of("a", 1))).toCompletableFuture();
        long returned = System.nanoTime() - start;
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> outcome.get(10, TimeUnit.SECONDS));
        long failedAfter = System.nanoTime() - start;
        assertTrue(((DeliveryException) failed.getCause()).isRetryable(), failed.getCause().getMessage());
        assertTrue(returned < TimeUnit.MILLISECONDS.toNanos(250), "send returned after " + returned / 1_000_000 + " ms");
        assertTrue(failedAfter < TimeUnit.MILLISECONDS.toNanos(2000),
                "the outcome came after " + failedAfter / 1_000_000 + " ms, the timeout is 300 ms");
    }

    @Test
    void aNamedConnectionLendsItsUrlAndHeadersToPaths() throws Exception {
        pool.create("api", HttpConnectorFactory.TYPE, Map.of("url", server.url() + "/base",
                "headers", Map.of("Authorization", "Bearer named-secret")));
        pool.awaitStatus("api", Status.CONNECTED);
        RecordingSinkContext context = new RecordingSinkContext(pool, "named", "sink_rest_0", false);
        contexts.add(context);
        Map<String, Object> props = Map.of("connectionSelector", "api", "url", "/items", "method", "post");
        assertEquals(List.of(), sinks.validate(props));
        context.open(sinks.create(props));
        Poll.until("connected", () -> context.states().contains(Status.CONNECTED), context::states);
        sent(context, Map.of("a", 1));
        TestServer.Request request = server.next();
        assertEquals("/base/items", request.path());
        assertEquals("Bearer named-secret", request.header("Authorization"));

        RecordingSinkContext elsewhere = new RecordingSinkContext(pool, "elsewhere", "sink_rest_0", false);
        contexts.add(elsewhere);
        elsewhere.open(sinks.create(Map.of("connectionSelector", "api", "url", "http://127.0.0.2:1/steal",
                "method", "post")));
        Poll.until("connected", () -> elsewhere.states().contains(Status.CONNECTED), elsewhere::states);
        DeliveryException refused = failure(elsewhere, Map.of("a", 1));
        assertFalse(refused.isRetryable(), "the connection's headers are never sent to another server: "
                + refused.getMessage());
    }

    @Test
    void badPropsAreRefusedWithEKuipersMessages() {
        Map<String, Object> base = Map.of("url", server.url());
        assertEquals(List.of(new PropError("method", "Not supported HTTP method HEAD.")),
                sinks.validate(with(base, "method", "head")));
        assertEquals(List.of(new PropError("bodyType", "Invalid body type value yaml.")),
                sinks.validate(with(base, "bodyType", "YAML")));
        assertFalse(sinks.validate(with(base, "responseType", "headers")).isEmpty());
        assertFalse(sinks.validate(Map.of("method", "post")).isEmpty(), "no url, no connectionSelector");
        assertFalse(sinks.validate(with(base, "url", "ftp://127.0.0.1/")).isEmpty());
        assertFalse(sinks.validate(with(base, "headers", "X-A: 1")).isEmpty());
        assertFalse(sinks.validate(with(base, "timeout", 0)).isEmpty());
        assertEquals(List.of(new PropError("concurrency", "concurrency must be a whole number from 1 to 64, not 0")),
                sinks.validate(with(base, "concurrency", 0)));
        assertFalse(sinks.validate(with(base, "concurrency", "many")).isEmpty());
    }

    @Test
    void concurrencyKeepsThatManyEmissionsInFlightAndOneKeepsThemInTurn() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        server.answer("/api/data", request -> {
            if (!request.method().equals("POST")) {
                return TestServer.Answer.ok(""); // the connection's probe
            }
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return TestServer.Answer.ok("");
        });
        for (int concurrency : new int[] {1, 4}) {
            RecordingSinkContext context = open(true, "method", "post", "concurrency", concurrency);
            most.set(0);
            List<CompletableFuture<Void>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                outcomes.add(context.sink().send(List.of(Map.of("n", i))).toCompletableFuture());
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            if (concurrency == 1) {
                assertEquals(1, most.get(), "one at a time");
            } else {
                assertTrue(most.get() > 1 && most.get() <= concurrency, "in flight at most " + most.get());
            }
        }
    }

    private static Map<String, Object> with(Map<String, Object> props, String key, Object value) {
        Map<String, Object> all = new HashMap<>(props);
        all.put(key, value);
        return all;
    }
}
