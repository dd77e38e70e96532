package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.SourceContext;

class ConnectedSourceTest {
    private final TestSinkContext pool = new TestSinkContext("r1", "op1");
    private final List<String> steps = new CopyOnWriteArrayList<>();

    private ConnectedSource source(Map<String, Object> props, Exception failure) {
        return new ConnectedSource("line", props) {
            @Override
            protected String anonymousKey(SourceContext context) {
                return "anon-" + context.ruleId();
            }

            @Override
            protected AutoCloseable consume(ConnectionHandle handle, SourceContext context) throws Exception {
                assertSame(handle, handle());
                steps.add("consume " + handle.connectionId());
                if (failure != null) {
                    throw failure;
                }
                return () -> steps.add("stop consuming, attached: " + !pool.detached);
            }
        };
    }

    @Test
    void withoutSelectorItAttachesUnderItsAnonymousKeyAndCloseUndoesBothInReverseOrder() throws Exception {
        ConnectedSource source = source(Map.of("host", "h"), null);
        source.open(new Context());
        assertEquals(List.of("anon-r1"), pool.attachedKeys);
        assertEquals(List.of(Map.of("host", "h")), pool.attachedProps);
        source.close();
        source.close();
        assertEquals(List.of("consume c1", "stop consuming, attached: true"), steps);
        assertTrue(pool.detached);
    }

    @Test
    void withASelectorItAttachesToTheNamedConnection() throws Exception {
        ConnectedSource source = source(Map.of(ConnectionPool.CONNECTION_SELECTOR, "named"), null);
        source.open(new Context());
        assertEquals(List.of(""), pool.attachedKeys);
        source.close();
    }

    @Test
    void aFailedStartDetachesAndTellsWhy() {
        ConnectedSource source = source(Map.of(), new IllegalStateException("cannot listen"));
        Exception failure = assertThrows(IllegalStateException.class, () -> source.open(new Context()));
        assertEquals("cannot listen", failure.getMessage());
        assertTrue(pool.detached);
    }

    /** A source's context over the sink test context's pool. */
    private final class Context implements SourceContext {
        @Override
        public String ruleId() {
            return pool.ruleId();
        }

        @Override
        public String operatorId() {
            return pool.operatorId();
        }

        @Override
        public ConnectionPool pool() {
            return pool.pool();
        }

        @Override
        public StatusListener connectionStatusListener() {
            return pool.connectionStatusListener();
        }

        @Override
        public void reportError(Throwable error) {
        }

        @Override
        public void emit(RawMessage message) {
        }

        @Override
        public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        }

        @Override
        public Acceptance offer(RawMessage message, Duration maxWait) {
            return Acceptance.ACCEPTED;
        }

        @Override
        public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait) {
            return Acceptance.ACCEPTED;
        }

        /** Hands the prepared message on as {@link #emit} does, at commit. */
        @Override
        public Reservation reserve(Duration maxWait) {
            return new Reservation() {
                private Runnable prepared;

                @Override
                public Acceptance acceptance() {
                    return Acceptance.ACCEPTED;
                }

                @Override
                public void prepare(RawMessage message) {
                    prepared = () -> emit(message);
                }

                @Override
                public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
                    prepared = () -> emitRecord(record, meta);
                }

                @Override
                public void commit() {
                    prepared.run();
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public Map<String, Object> state() {
            return Map.of();
        }

        @Override
        public void saveState(Map<String, Object> state) {
        }
    }
}
