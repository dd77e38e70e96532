package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ConnectionScopesTest {
    private final List<List<String>> released = new CopyOnWriteArrayList<>();
    private final ConnectionScopes<List<String>> scopes = new ConnectionScopes<>(id -> new CopyOnWriteArrayList<>(),
            released::add);

    @Test
    void aNewInstanceFindsWhatTheConsumersOfTheOldOneSetUp() {
        ConnectionScopes.Lease<List<String>> oldInstance = scopes.acquire("c1");
        ConnectionScopes.Lease<List<String>> consumer = scopes.acquire("c1");
        consumer.state().add("topic/a");

        oldInstance.close();
        ConnectionScopes.Lease<List<String>> newInstance = scopes.acquire("c1");

        assertEquals(List.of("topic/a"), newInstance.state());
        assertSame(consumer.state(), newInstance.state());
        assertEquals("c1", newInstance.connectionId());
    }

    @Test
    void connectionIdsHaveStatesOfTheirOwn() {
        assertNotSame(scopes.acquire("c1").state(), scopes.acquire("c2").state());
    }

    @Test
    void theStateIsDroppedAndReleasedWithItsLastLeaseOnly() {
        ConnectionScopes.Lease<List<String>> instance = scopes.acquire("c1");
        ConnectionScopes.Lease<List<String>> consumer = scopes.acquire("c1");
        consumer.state().add("x");

        instance.close();
        assertTrue(scopes.find("c1").isPresent());
        assertTrue(released.isEmpty());

        consumer.close();
        assertTrue(scopes.find("c1").isEmpty());
        assertEquals(List.of(List.of("x")), released);
        assertTrue(scopes.acquire("c1").state().isEmpty(), "a later holder starts afresh");
    }

    @Test
    void closingALeaseTwiceReleasesItOnce() {
        ConnectionScopes.Lease<List<String>> first = scopes.acquire("c1");
        ConnectionScopes.Lease<List<String>> second = scopes.acquire("c1");

        first.close();
        first.close();

        assertTrue(scopes.find("c1").isPresent(), "the second lease still holds the state");
        second.close();
        assertEquals(1, released.size());
    }

    @Test
    void anOlderInstanceIsNoLongerCurrentOnceTheNewOneClaims() {
        ConnectionScopes.Lease<List<String>> oldInstance = scopes.acquire("c1");
        oldInstance.claim();
        assertTrue(oldInstance.isCurrent());

        ConnectionScopes.Lease<List<String>> newInstance = scopes.acquire("c1");
        assertTrue(oldInstance.isCurrent(), "until the new one has dialled");
        newInstance.claim();

        assertFalse(oldInstance.isCurrent());
        assertTrue(newInstance.isCurrent());
        oldInstance.close();
        assertTrue(newInstance.isCurrent(), "the old one closing does not unseat the new one");
        newInstance.close();
        assertFalse(newInstance.isCurrent());
    }

    @Test
    void aClosedLeaseCannotClaim() {
        ConnectionScopes.Lease<List<String>> lease = scopes.acquire("c1");
        scopes.acquire("c1");
        lease.close();
        lease.claim();
        assertFalse(lease.isCurrent());
    }

    @Test
    void concurrentHoldersShareOneStateAndReleaseItOnce() throws Exception {
        AtomicInteger created = new AtomicInteger();
        List<Object> releasedStates = new CopyOnWriteArrayList<>();
        ConnectionScopes<Object> counted = new ConnectionScopes<>(id -> {
            created.incrementAndGet();
            return new Object();
        }, releasedStates::add);
        ConnectionScopes.Lease<Object> keeper = counted.acquire("c");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        try (ConnectionScopes.Lease<Object> lease = counted.acquire("c")) {
                            assertSame(keeper.state(), lease.state());
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(1, created.get());
        assertTrue(releasedStates.isEmpty());
        keeper.close();
        assertEquals(List.of(keeper.state()), releasedStates);
    }
}
