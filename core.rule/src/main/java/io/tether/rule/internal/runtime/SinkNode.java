package io.tether.rule.internal.runtime;

import java.util.List;
import java.util.Map;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.io.Encoder;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.rule.internal.model.Action;

/** One action of a running rule: its sink, context and metrics. */
final class SinkNode extends NodeContextBase implements SinkContext {
    private final Sink sink;
    private final Encoder encoder;
    private final NodeMetrics metrics;

    private SinkNode(String ruleId, String operatorId, ConnectionPool pool, NodeMetrics metrics, Sink sink,
            Encoder encoder) {
        super(ruleId, operatorId, pool, metrics);
        this.sink = sink;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    /** The sink of the rule's action number {@code index}: operator {@code sink_<type>_<index>}. */
    static SinkNode of(String ruleId, int index, Action action, Sink sink, ConnectionPool pool,
            ConnectionStatusGauges gauges) {
        String operatorId = "sink_" + action.type() + "_" + index;
        NodeMetrics metrics = new NodeMetrics(operatorId + "_", gauges.sink(ruleId, action.type(), operatorId));
        return new SinkNode(ruleId, operatorId, pool, metrics, sink,
                new JsonEncoder(action.sendSingle()));
    }

    @Override
    public Encoder encoder() {
        return encoder;
    }

    void open() throws Exception {
        sink.open(this);
    }

    /** Sends one emission; a failure is counted, never thrown. */
    void send(List<Map<String, Object>> emission) {
        emission.forEach(record -> metrics.recordIn());
        try {
            sink.collect(emission);
            emission.forEach(record -> metrics.recordOut());
        } catch (Exception e) {
            metrics.exception(e);
        }
    }

    void close() {
        sink.close();
    }

    NodeMetrics metrics() {
        return metrics;
    }
}
