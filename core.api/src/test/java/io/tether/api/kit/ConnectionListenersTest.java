package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class ConnectionListenersTest {
    private final ConnectionListeners<String> listeners = new ConnectionListeners<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void aFeedDeliversOnlyOnceClaimed() throws Exception {
        listeners.listen("c1", received::add);
        try (ConnectionListeners.Feed<String> feed = listeners.feed("c1")) {
            feed.deliver("before");
            feed.claim();
            feed.deliver("after");
        }
        assertEquals(List.of("after"), received);
    }

    @Test
    void theInstanceThatReplacesAnotherServesTheSameListenersAndTheOldOneFallsSilent() throws Exception {
        listeners.listen("c1", received::add);
        ConnectionListeners.Feed<String> old = listeners.feed("c1");
        old.claim();
        old.deliver("a");
        ConnectionListeners.Feed<String> replacement = listeners.feed("c1");
        replacement.claim();
        assertFalse(old.isCurrent());
        old.deliver("duplicate");
        replacement.deliver("b");
        old.close();
        replacement.deliver("c");
        assertEquals(List.of("a", "b", "c"), received);
        replacement.close();
    }

    @Test
    void aClosedRegistrationHearsNothingAndTheLastOneReleasesTheConnectionId() throws Exception {
        ConnectionListeners.Registration first = listeners.listen("c1", received::add);
        ConnectionListeners.Registration second = listeners.listen("c1", line -> received.add("2:" + line));
        try (ConnectionListeners.Feed<String> feed = listeners.feed("c1")) {
            feed.claim();
            first.close();
            first.close();
            feed.deliver("x");
            assertEquals(List.of("2:x"), received);
            second.close();
        }
        assertEquals(0, listeners.listening("c1"));
    }

    @Test
    void aFailingListenerDoesNotKeepTheItemFromTheOthers() throws Exception {
        listeners.listen("c1", line -> {
            throw new IllegalStateException("broken listener");
        });
        listeners.listen("c1", received::add);
        try (ConnectionListeners.Feed<String> feed = listeners.feed("c1")) {
            feed.claim();
            feed.deliver("x");
        }
        assertEquals(List.of("x"), received);
    }

    @Test
    void connectionIdsAreSeparate() throws Exception {
        listeners.listen("c1", received::add);
        try (ConnectionListeners.Feed<String> other = listeners.feed("c2")) {
            other.claim();
            other.deliver("x");
            assertTrue(other.isCurrent());
        }
        assertEquals(List.of(), received);
    }
}
