package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.pool.internal.store.ConnectionStore;

/** SPEC §2: reading never waits: not for a slow disk under a stream of creates and updates either. */
class ReadsNeverWaitForTheStoreTest {
    private static final long WRITE_MILLIS = 500;
    private static final int CALLS = 200;

    @TempDir
    Path data;

    /** Writes as the store does, after {@value #WRITE_MILLIS} ms: a slow disk. */
    private static void slowWrite(Path file, byte[] content) throws java.io.IOException {
        try {
            Thread.sleep(WRITE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        Files.write(file, content);
    }

    @Test
    void listGetHandlesAndStatusStayFastWhileSlowWritesRun() throws Exception {
        FakeConnector fake = new FakeConnector();
        try (PoolHarness pool = new PoolHarness(data, new ConnectionStore(data,
                ReadsNeverWaitForTheStoreTest::slowWrite)).withFactory("fake", fake)) {
            ConnectionRegistry registry = pool.registry;
            registry.create("c0", "fake", Map.of("host", "h"));
            ConnectionHandle handle = registry.attach("r1", "k", "fake",
                    Map.of(ConnectionPool.CONNECTION_SELECTOR, "c0"), new StatusRecorder());
            StatusRecorder.await(() -> handle.status().status() == Status.CONNECTED, "c0 connected");

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 1; writing.get(); i++) {
                        registry.create("c" + i, "fake", Map.of("host", "h"));
                        registry.update("c" + i, "fake", Map.of("host", "h2"));
                    }
                } catch (Throwable e) {
                    writerFailed.set(e);
                }
            }, "test-writer");
            writer.start();
            List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
            try {
                for (int call = 0; call < CALLS; call++) {
                    nanos.add(timed(() -> registry.list(true)));
                    nanos.add(timed(() -> registry.get("c0")));
                    nanos.add(timed(() -> handle.as(FakeConnector.FakeConnection.class)));
                    nanos.add(timed(handle::status));
                    Thread.sleep(5);
                }
            } finally {
                writing.set(false);
                writer.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(null, writerFailed.get());
            assertTrue(registry.list(false).size() >= 3, "writes ran meanwhile: " + registry.list(false).size());
            Collections.sort(nanos);
            long p99 = TimeUnit.NANOSECONDS.toMillis(nanos.get(nanos.size() * 99 / 100));
            long max = TimeUnit.NANOSECONDS.toMillis(nanos.get(nanos.size() - 1));
            System.out.printf("reads during %d ms writes: %d calls, p99 %d ms, max %d ms%n", WRITE_MILLIS,
                    nanos.size(), p99, max);
            assertTrue(p99 < 50, "p99 of reads " + p99 + " ms");
        }
    }

    @Test
    void aCreateReturnsOnlyOnceItsWriteIsDurable() throws Exception {
        try (PoolHarness pool = new PoolHarness(data, new ConnectionStore(data,
                ReadsNeverWaitForTheStoreTest::slowWrite)).withFactory("fake", new FakeConnector())) {
            long start = System.nanoTime();
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= WRITE_MILLIS, "returned after " + tookMillis + " ms");
            assertEquals(List.of("c1"), pool.stored().connections().stream().map(c -> c.id()).toList());
        }
    }

    private static long timed(java.util.function.Supplier<?> call) {
        long start = System.nanoTime();
        call.get();
        return System.nanoTime() - start;
    }
}
