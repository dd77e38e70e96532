package io.tether.lib.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tether.api.io.RawMessage;

/** What happens to a message the broker sends before, or after, any consumer subscribes to its topic. */
class SubscriptionsTest {
    private static final Map<String, Object> QOS1 = Map.of("qos", 1);
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean ownerActive = new AtomicBoolean(true);
    private final Subscriptions subscriptions = new Subscriptions(ownerActive::get);
    private final FakeClient client = new FakeClient();
    private final List<String> taken = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        later.shutdownNow();
    }

    @Test
    void aQueuedMessageThatArrivesBeforeItsConsumerSubscribedAgainWaitsForItAndIsThenAcknowledged() throws Exception {
        subscriptions.sessionStarted(client, Duration.ofSeconds(1));
        later.schedule(() -> subscriptions.add("in", 1, consumer()), 200, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        assertTrue(subscriptions.deliverAcknowledged(client, "in", bytes("m"), QOS1), "acknowledged");
        assertEquals(List.of("m"), taken, "handed to the consumer that subscribed meanwhile");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "it waited for the consumer");
    }

    @Test
    void aMessageOfASessionThatHasNotReportedItsStartYetWaitsToo() throws Exception {
        later.schedule(() -> subscriptions.add("in/#", 1, consumer()), 100, TimeUnit.MILLISECONDS);
        assertTrue(subscriptions.deliverAcknowledged(client, "in/a", bytes("early"), QOS1));
        assertEquals(List.of("early"), taken);
    }

    @Test
    void aConsumerOfAnotherTopicDoesNotEndTheWait() throws Exception {
        subscriptions.sessionStarted(client, Duration.ofSeconds(1));
        subscriptions.add("other", 1, consumer());
        later.schedule(() -> subscriptions.add("in", 1, consumer()), 100, TimeUnit.MILLISECONDS);
        assertTrue(subscriptions.deliverAcknowledged(client, "in", bytes("m"), QOS1));
        assertEquals(List.of("m"), taken);
    }

    @Test
    void whileTheOwningBundleStopsAMessageNoOneTakesIsNotAcknowledged() throws Exception {
        subscriptions.sessionStarted(client, Duration.ofSeconds(1));
        ownerActive.set(false);
        assertFalse(subscriptions.deliverAcknowledged(client, "in", bytes("m"), QOS1),
                "the broker sends it again to the next session");
        assertEquals(List.of(), taken);
    }

    @Test
    void aConsumerThatLeavesWhileItsBundleStopsKeepsItsSubscriptionOnTheBroker() throws Exception {
        subscriptions.sessionStarted(client, Duration.ofSeconds(1));
        Runnable first = subscriptions.add("kept", 1, consumer());
        ownerActive.set(false);
        first.run();
        assertEquals(List.of(), client.unsubscribed, "the next session of the updated bundle still gets them");

        ownerActive.set(true);
        subscriptions.add("gone", 1, consumer()).run();
        assertEquals(List.of("gone"), client.unsubscribed, "a consumer that leaves for good unsubscribes");
    }

    @Test
    void aMessageNoConsumerWantsOnceTheGraceIsOverIsAcknowledgedAndDroppedWithoutWaiting() throws Exception {
        Subscriptions noGrace = new Subscriptions(() -> true, Duration.ZERO);
        noGrace.sessionStarted(client, Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertTrue(noGrace.deliverAcknowledged(client, "nobody", bytes("m"), QOS1));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no wait");
    }

    @Test
    void aMessageWithAConsumerIsHandedOnAtOnce() throws Exception {
        subscriptions.sessionStarted(client, Duration.ofSeconds(1));
        subscriptions.add("in", 1, consumer());
        assertTrue(subscriptions.deliverAcknowledged(client, "in", bytes("m"), QOS1));
        assertEquals(List.of("m"), taken);
    }

    private Subscriptions.Subscriber consumer() {
        return new Subscriptions.Subscriber() {
            @Override
            public void message(RawMessage message) {
                taken.add(new String(message.payload(), UTF_8));
            }

            @Override
            public void dropped(RawMessage message, String reason) {
            }

            @Override
            public void refused(String filter) {
            }
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /** A connected client that subscribes whatever it is asked to and records its unsubscriptions. */
    private static final class FakeClient implements BrokerClient {
        final List<String> unsubscribed = new ArrayList<>();

        @Override
        public void connect(Duration timeout) {
        }

        @Override
        public CompletableFuture<List<String>> subscribe(Map<String, Integer> filters) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public void unsubscribeLater(Collection<String> filters) {
            unsubscribed.addAll(filters);
        }

        @Override
        public boolean publish(String topic, byte[] payload, int qos, boolean retained,
                CompletableFuture<Void> outcome) {
            return false;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
