package io.tether.websocket.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tether.testkit.Poll;

class InboxTest {
    private final ThreadPoolExecutor threads = (ThreadPoolExecutor) Executors.newCachedThreadPool();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    /** Holds every delivery until it opens. */
    private final CountDownLatch gate = new CountDownLatch(1);
    /** Counts down when the first delivery began. */
    private final CountDownLatch handingOn = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS), "no hand-off left running");
    }

    @Test
    void messagesAreHandedOnInOrderAndABurstTakesOneThreadHandOff() throws Exception {
        Inbox inbox = new Inbox(threads, this::heldDelivery);
        for (int n = 0; n < 10; n++) {
            assertNull(inbox.add(bytes("m" + n)), "read on while fewer than the read-ahead wait");
        }
        gate.countDown();
        Poll.until("all ten are handed on", () -> delivered.size() == 10, () -> delivered);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), delivered);
        Poll.until("the hand-off ends", () -> threads.getCompletedTaskCount() == 1);
        assertEquals(1, threads.getTaskCount(), "the burst went through one hand-off");
    }

    @Test
    void readingWaitsWhenTheReadAheadIsFullUntilTheSourcesTakeOne() throws Exception {
        Inbox inbox = new Inbox(threads, this::heldDelivery);
        assertNull(inbox.add(bytes("first")));
        assertTrue(handingOn.await(5, TimeUnit.SECONDS));
        for (int n = 0; n < Inbox.READ_AHEAD - 1; n++) {
            assertNull(inbox.add(bytes("m" + n)));
        }
        CompletionStage<Void> room = inbox.add(bytes("last"));
        assertNotNull(room, "the read-ahead is full: the reading waits");
        assertTrue(inbox.withholding());
        assertFalse(room.toCompletableFuture().isDone());
        gate.countDown();
        room.toCompletableFuture().get(5, TimeUnit.SECONDS);
        Poll.until("everything is handed on", () -> delivered.size() == Inbox.READ_AHEAD + 1);
        assertEquals("last", delivered.get(Inbox.READ_AHEAD));
        assertFalse(inbox.withholding());
    }

    @Test
    void aMessageOfAMebibyteFillsTheReadAheadOnItsOwn() throws Exception {
        Inbox inbox = new Inbox(threads, this::heldDelivery);
        assertNotNull(inbox.add(new byte[(int) Inbox.READ_AHEAD_BYTES]));
        gate.countDown();
    }

    @Test
    void closeInterruptsAWaitingHandOffDropsWhatIsQueuedAndLetsTheReadingGoOn() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        Inbox inbox = new Inbox(threads, payload -> {
            waiting.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        inbox.add(bytes("first"));
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        CompletionStage<Void> room = null;
        for (int n = 0; n < Inbox.READ_AHEAD; n++) {
            room = inbox.add(bytes("m" + n));
        }
        assertNotNull(room);
        inbox.close();
        room.toCompletableFuture().get(5, TimeUnit.SECONDS);
        Poll.until("the waiting hand-off was interrupted", interrupted::get);
        assertNull(inbox.add(bytes("after")), "a closed inbox takes nothing and holds nothing back");
    }

    @Test
    void aFinishedPeersMessagesAreStillHandedOnBeforeItIsDone() throws Exception {
        Inbox inbox = new Inbox(threads, this::heldDelivery);
        inbox.add(bytes("a"));
        inbox.add(bytes("b"));
        CountDownLatch finished = new CountDownLatch(1);
        inbox.finish(finished::countDown);
        assertEquals(1, finished.getCount(), "not done while messages wait");
        gate.countDown();
        assertTrue(finished.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b"), delivered);

        CountDownLatch emptyFinished = new CountDownLatch(1);
        new Inbox(threads, this::heldDelivery).finish(emptyFinished::countDown);
        assertEquals(0, emptyFinished.getCount(), "nothing read: done at once");
    }

    @Test
    void aSourceThatThrowsDoesNotStopTheMessagesAfter() throws Exception {
        Inbox inbox = new Inbox(threads, payload -> {
            String text = new String(payload, UTF_8);
            if (text.equals("bad")) {
                throw new IllegalStateException("broken source");
            }
            delivered.add(text);
        });
        inbox.add(bytes("bad"));
        inbox.add(bytes("good"));
        Poll.until("the next message is handed on", () -> delivered.contains("good"));
    }

    @Test
    void aStoppedExecutorDropsTheMessageAndHoldsNothingBack() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        Inbox inbox = new Inbox(stopped, this::heldDelivery);
        assertNull(inbox.add(bytes("m")));
        assertFalse(inbox.withholding());
        gate.countDown();
    }

    private void heldDelivery(byte[] payload) throws InterruptedException {
        handingOn.countDown();
        assertTrue(gate.await(10, TimeUnit.SECONDS));
        delivered.add(new String(payload, UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
