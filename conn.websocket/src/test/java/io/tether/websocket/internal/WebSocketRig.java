package io.tether.websocket.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/**
 * What the connector's tests set up around a peer: the connector's runtime, a pool with the websocket type, and the
 * sources, sinks and clients a test opens, closed newest first, then the pool and the runtime.
 */
final class WebSocketRig implements AutoCloseable {
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
