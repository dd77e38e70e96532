package io.tether.lib.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.tether.testkit.Poll;

/** Serial hand-off on borrowed threads: order, no thread while idle, stop, and the cap of unacknowledged messages. */
class DispatcherTest {
    private final AtomicInteger tasksStarted = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    private Dispatcher dispatcher(int cap) {
        return new Dispatcher(task -> {
            tasksStarted.incrementAndGet();
            pool.execute(task);
        }, cap);
    }

    @Test
    void deliveriesRunOneAtATimeInArrivalOrder() {
        Dispatcher dispatcher = dispatcher(10);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            dispatcher.dispatch(() -> {
                overlapped.compareAndSet(false, running.incrementAndGet() > 1);
                delivered.add(n);
                running.decrementAndGet();
            });
        }
        Poll.until("every delivery ran", () -> delivered.size() == 10_000);
        assertFalse(overlapped.get());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, delivered.get(i));
        }
    }

    @Test
    void anIdleDispatcherHoldsNoThreadAndBorrowsOneForABurst() throws Exception {
        Dispatcher dispatcher = dispatcher(10);
        assertEquals(0, tasksStarted.get());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        dispatcher.dispatch(() -> {
            release.await();
            delivered.incrementAndGet();
        });
        for (int i = 0; i < 100; i++) {
            dispatcher.dispatch(delivered::incrementAndGet);
        }
        release.countDown();
        Poll.until("the burst is delivered", () -> delivered.get() == 101 && dispatcher.backlog() == 0);
        assertEquals(1, tasksStarted.get(), "one borrowed thread ran the whole burst");
    }

    @Test
    void stopInterruptsTheDeliveryInProgressAndDropsTheRestUnacknowledged() throws Exception {
        Dispatcher dispatcher = dispatcher(10);
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        dispatcher.dispatch(() -> {
            waiting.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            acknowledged.incrementAndGet();
        });
        dispatcher.dispatch(acknowledged::incrementAndGet);
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        dispatcher.stop();
        Poll.until("the waiting delivery is interrupted", interrupted::get);
        dispatcher.dispatch(acknowledged::incrementAndGet);
        assertEquals(0, dispatcher.backlog());
        assertEquals(0, acknowledged.get());
    }

    @Test
    void theInterruptOfAStopDoesNotReachTheBorrowedThreadsNextTask() throws Exception {
        Dispatcher dispatcher = dispatcher(10);
        CountDownLatch waiting = new CountDownLatch(1);
        dispatcher.dispatch(() -> {
            waiting.countDown();
            new CountDownLatch(1).await();
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        dispatcher.stop();
        Poll.until("the borrowed thread is free", () -> ((java.util.concurrent.ThreadPoolExecutor) pool)
                .getActiveCount() == 0);
        AtomicBoolean nextTaskInterrupted = new AtomicBoolean(true);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> {
            nextTaskInterrupted.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertFalse(nextTaskInterrupted.get());
    }

    @Test
    void cappedDeliveriesBeyondTheCapAreRefusedWithoutWaitingAndOthersStillQueue() throws Exception {
        Dispatcher dispatcher = dispatcher(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        dispatcher.dispatch(() -> {
            started.countDown();
            release.await();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            assertTrue(dispatcher.dispatchCapped(delivered::incrementAndGet));
        }
        assertFalse(dispatcher.dispatchCapped(delivered::incrementAndGet));
        dispatcher.dispatch(delivered::incrementAndGet);
        release.countDown();
        Poll.until("the queued deliveries run", () -> delivered.get() == 4);
        assertTrue(dispatcher.dispatchCapped(delivered::incrementAndGet), "room again once delivered");
        Poll.until("the last one runs", () -> delivered.get() == 5);
    }
}
