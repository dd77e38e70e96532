package io.tether.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import io.tether.testkit.Poll;

import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * What the connector's tests set up around a peer: the connector's runtime, a pool with the websocket type, and the
 * sources, sinks and clients a test opens, closed newest first, then the pool and the runtime.
 */
final class WebSocketRig implements AutoCloseable {
    /** A slow rule: room for 64 messages in its buffer, and a pause before it takes each one. */
    private static final int SLOW_RULE_CAPACITY = 64;
    private static final long SLOW_RULE_NANOS_PER_MESSAGE = TimeUnit.MICROSECONDS.toNanos(50);

    final WebSocketRuntime runtime = new WebSocketRuntime();
    final TestPool pool;
    private final List<AutoCloseable> closing = new ArrayList<>();

    WebSocketRig(TestPool pool) {
        this.pool = pool;
        pool.addType(WebSocketConnectorFactory.TYPE, new WebSocketConnectorFactory(runtime),
                WebSocketRig.class.getResource("/" + WebSocketConnectorFactory.SCHEMA));
    }

    /** A source of the rule reading {@code datasource}, its buffer bounded by {@code capacity} (0: unbounded). */
    RecordingSourceContext source(String rule, String datasource, Map<String, Object> props, int capacity)
            throws Exception {
        RecordingSourceContext context = closeLater(new RecordingSourceContext(pool, rule, "source_" + rule,
                capacity));
        return context.open(new WebSocketSourceProvider(runtime).create(datasource, props));
    }

    /** A source of a slow rule reading {@code datasource}; {@link #takeSlowly} takes its messages. */
    RecordingSourceContext slowSource(String rule, String datasource, Map<String, Object> props) throws Exception {
        return source(rule, datasource, props, SLOW_RULE_CAPACITY);
    }

    /**
     * Takes {@code count} messages from a slow rule, a pause before each, checking that they came in order, that
     * nothing failed and that nothing more came.
     */
    static void takeSlowly(RecordingSourceContext slow, int count, IntFunction<String> message)
            throws InterruptedException {
        for (int n = 0; n < count; n++) {
            assertEquals(message.apply(n), slow.next(Poll.PATIENCE), "message " + n);
            LockSupport.parkNanos(SLOW_RULE_NANOS_PER_MESSAGE);
        }
        assertEquals(List.of(), slow.errors);
        assertEquals(List.of(), slow.drain(), "nothing more than was sent");
    }

    RecordingSinkContext sink(String rule, Map<String, Object> props) throws Exception {
        RecordingSinkContext context = closeLater(new RecordingSinkContext(pool, rule, "sink_" + rule, true));
        return context.open(new WebSocketSinkProvider().create(props));
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        pool.close();
        runtime.stop();
    }
}
