package io.tether.rule.internal.runtime;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.io.Encoder;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.rule.internal.model.Action;

/**
 * One action of a running rule: its sink, context and metrics. While the sink's connector type is not installed
 * the node has no sink: it reports disconnected and counts what it is sent as exceptions.
 */
final class SinkNode extends NodeContextBase implements SinkContext {
    private final String type;
    private final Supplier<Sink> sinkFactory;
    private final Encoder encoder;
    private final NodeMetrics metrics;
    private Sink sink;

    private SinkNode(String ruleId, String operatorId, ConnectionPool pool, NodeMetrics metrics, String type,
            Supplier<Sink> sinkFactory, Encoder encoder) {
        super(ruleId, operatorId, pool, metrics);
        this.type = type;
        this.sinkFactory = sinkFactory;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    /**
     * The sink of the rule's action number {@code index}: operator {@code sink_<type>_<index>}.
     *
     * @param sinkFactory creates the sink from its type's current provider; throws when the type is not installed
     */
    static SinkNode of(String ruleId, int index, Action action, Supplier<Sink> sinkFactory, ConnectionPool pool,
            ConnectionStatusGauges gauges) {
        String operatorId = "sink_" + action.type() + "_" + index;
        NodeMetrics metrics = new NodeMetrics(operatorId + "_", gauges.sink(ruleId, action.type(), operatorId));
        return new SinkNode(ruleId, operatorId, pool, metrics, action.type(), sinkFactory,
                new JsonEncoder(action.sendSingle()));
    }

    @Override
    public Encoder encoder() {
        return encoder;
    }

    @Override
    public void reportError(Throwable error) {
        metrics.exception(error);
    }

    String type() {
        return type;
    }

    synchronized void open() throws Exception {
        Sink created = sinkFactory.get();
        created.open(this);
        sink = created;
    }

    /** Sends one emission; a failure is counted, never thrown. */
    synchronized void send(List<Map<String, Object>> emission) {
        emission.forEach(record -> metrics.recordIn());
        if (sink == null) {
            metrics.exception(Providers.notInstalled(type));
            return;
        }
        try {
            // a sink may wait for its peer: the shared workers add a thread meanwhile, so the other rules go on
            Blocking.run(() -> sink.collect(emission));
            emission.forEach(record -> metrics.recordOut());
        } catch (Exception e) {
            metrics.exception(e);
        }
    }

    /** The type went: the sink is closed and the node waits, disconnected, for the type to return. */
    synchronized void detach() {
        if (sink != null) {
            close();
            metrics.disconnected(Providers.notInstalled(type));
        }
    }

    /**
     * The type returned: a new sink from its provider is opened with this context. If that fails the node stays
     * disconnected, with the failure as its message, until the type comes again.
     */
    synchronized void reattach() {
        if (sink != null) {
            return;
        }
        try {
            open();
        } catch (Exception e) {
            metrics.exception(e);
            metrics.disconnected(NodeMetrics.message(e));
        }
    }

    synchronized void close() {
        Sink closing = sink;
        sink = null;
        if (closing != null) {
            closing.close();
        }
    }

    NodeMetrics metrics() {
        return metrics;
    }
}
