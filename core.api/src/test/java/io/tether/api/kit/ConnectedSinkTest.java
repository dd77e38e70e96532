package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.SinkContext;

class ConnectedSinkTest {
    /** What the sink's connection class stands for: a client that records what it was sent. */
    static final class Client {
        final List<List<Map<String, Object>>> sent = new ArrayList<>();
    }

    /** Delivers to the client; its next outcome (or failure) is what the test sets. */
    static final class ClientSink extends ConnectedSink<Client> {
        CompletableFuture<Void> nextOutcome = CompletableFuture.completedFuture(null);
        Exception nextFailure;
        Duration outcomeTimeout;
        boolean limitOutcome = true;

        ClientSink(Map<String, Object> props) {
            super("redis", Client.class, props);
        }

        @Override
        protected String anonymousKey(SinkContext context) {
            return AnonymousKeys.perNode(context, "k");
        }

        @Override
        protected CompletionStage<Void> deliver(Client connection, List<Map<String, Object>> records)
                throws Exception {
            if (nextFailure != null) {
                throw nextFailure;
            }
            connection.sent.add(records);
            return nextOutcome;
        }

        @Override
        protected Duration outcomeTimeout() {
            return limitOutcome ? super.outcomeTimeout() : null;
        }
    }

    private final TestSinkContext context = new TestSinkContext("rule1", "sink_redis_0");
    private final Client client = new Client();

    private ClientSink open(Map<String, Object> props) throws Exception {
        context.instance = client;
        ClientSink sink = new ClientSink(props);
        sink.open(context);
        return sink;
    }

    private static DeliveryException failureOf(CompletionStage<Void> outcome) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> outcome.toCompletableFuture().get(5, TimeUnit.SECONDS));
        return assertInstanceOf(DeliveryException.class, failed.getCause());
    }

    @Test
    void attachesToTheAnonymousConnectionUnderItsKeyAndDetachesOnClose() throws Exception {
        ClientSink sink = open(Map.of("url", "redis://h"));
        assertEquals(List.of("rule1/sink_redis_0/k"), context.attachedKeys);
        assertEquals(List.of(Map.of("url", "redis://h")), context.attachedProps);

        sink.close();
        assertTrue(context.detached);
        sink.close();
    }

    @Test
    void aNamedConnectionNeedsNoAnonymousKey() throws Exception {
        open(Map.of("connectionSelector", "redis1"));
        assertEquals(List.of(""), context.attachedKeys);
    }

    @Test
    void deliversWhileConnectedAndCompletesWithTheOutcome() throws Exception {
        ClientSink sink = open(Map.of());
        sink.nextOutcome = new CompletableFuture<>();

        CompletableFuture<Void> outcome = sink.send(List.of(Map.of("a", 1))).toCompletableFuture();
        assertEquals(List.of(List.of(Map.of("a", 1))), client.sent);
        assertFalse(outcome.isDone(), "done only once the peer has it");

        sink.nextOutcome.complete(null);
        outcome.get(1, TimeUnit.SECONDS);
    }

    @Test
    void failsAtOnceAndRetryableWhileTheConnectionIsNotConnected() throws Exception {
        ClientSink sink = open(Map.of());
        context.status = Status.DISCONNECTED;

        DeliveryException failure = failureOf(sink.send(List.of(Map.of("a", 1))));

        assertTrue(failure.isRetryable());
        assertEquals("redis connection c1 is disconnected: refused", failure.getMessage());
        assertTrue(client.sent.isEmpty(), "nothing reached the client");
    }

    @Test
    void aConnectionWithoutLiveInstanceFailsRetryable() throws Exception {
        ClientSink sink = open(Map.of());
        context.instance = "not a client";
        assertTrue(failureOf(sink.send(List.of(Map.of("a", 1)))).isRetryable());
    }

    @Test
    void anOutcomeLateBeyondTheSendTimeoutFailsRetryable() throws Exception {
        ClientSink sink = open(Map.of());
        context.sendTimeout = Duration.ofMillis(50);
        sink.nextOutcome = new CompletableFuture<>();

        DeliveryException failure = failureOf(sink.send(List.of(Map.of("a", 1))));

        assertTrue(failure.isRetryable());
        assertEquals("redis sink: no outcome within 50 ms", failure.getMessage());
        assertFalse(sink.nextOutcome.isDone(), "the subclass's own outcome is left alone");
    }

    @Test
    void aSinkWithoutOutcomeLimitWaitsForItsOutcome() throws Exception {
        ClientSink sink = open(Map.of());
        context.sendTimeout = Duration.ofMillis(20);
        sink.limitOutcome = false;
        sink.nextOutcome = new CompletableFuture<>();

        CompletableFuture<Void> outcome = sink.send(List.of(Map.of("a", 1))).toCompletableFuture();
        Thread.sleep(100);
        assertFalse(outcome.isDone());
        sink.nextOutcome.complete(null);
        outcome.get(1, TimeUnit.SECONDS);
    }

    @Test
    void failuresAreSortedIntoRetryableAndPermanent() throws Exception {
        ClientSink sink = open(Map.of());
        Map<Exception, Boolean> retryable = Map.of(
                new IOException("reset"), true,
                new java.util.concurrent.TimeoutException("slow"), true,
                ConnectionException.io("refused", null), true,
                ConnectionException.permanent("bad credentials", null), false,
                new IllegalArgumentException("WRONGTYPE"), false);
        for (Map.Entry<Exception, Boolean> entry : retryable.entrySet()) {
            sink.nextFailure = entry.getKey();
            DeliveryException failure = failureOf(sink.send(List.of(Map.of("a", 1))));
            assertEquals(entry.getValue(), failure.isRetryable(), entry.getKey().toString());
            assertEquals("redis sink: " + entry.getKey().getMessage(), failure.getMessage());
            assertSame(entry.getKey(), failure.getCause());
        }
        sink.nextFailure = null;
        sink.nextOutcome = CompletableFuture.failedFuture(new IOException("lost before the ack"));
        assertTrue(failureOf(sink.send(List.of(Map.of("a", 1)))).isRetryable());
    }

    @Test
    void aDeliveryExceptionOfTheSubclassIsKeptAsItIs() throws Exception {
        ClientSink sink = open(Map.of());
        DeliveryException own = DeliveryException.permanent("row refused", null);
        sink.nextFailure = own;
        assertSame(own, failureOf(sink.send(List.of(Map.of("a", 1)))));
        assertSame(own, assertThrows(DeliveryException.class, () -> sink.collect(List.of(Map.of("a", 1)))));
    }

    @Test
    void collectReturnsOnceTheOutcomeIsKnownAndWaitsNoLongerThanTheSendTimeout() throws Exception {
        ClientSink sink = open(Map.of());
        sink.collect(List.of(Map.of("a", 1)));
        assertEquals(1, client.sent.size());

        context.sendTimeout = Duration.ofMillis(50);
        sink.limitOutcome = false;
        sink.nextOutcome = new CompletableFuture<>();
        DeliveryException late = assertThrows(DeliveryException.class, () -> sink.collect(List.of(Map.of("a", 2))));
        assertTrue(late.isRetryable());
    }
}
