package io.tether.rule.internal.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(SinkNode.class);
    private static final long SLOW_SEND_NANOS = 2_000_000;
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(1);
    private final String type;
    private final Supplier<Sink> sinkFactory;
    private final Encoder encoder;
    private final NodeMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under {@link #lock}, except by a {@link #close} that waited for it in vain. */
    private volatile Sink sink;
    /** Guarded by {@link #lock}. */
    private boolean slow;

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

    void open() throws Exception {
        lock.lock();
        try {
            Sink created = sinkFactory.get();
            created.open(this);
            sink = created;
        } finally {
            lock.unlock();
        }
    }

    /** Sends one emission; a failure is counted, never thrown. */
    void send(List<Map<String, Object>> emission) {
        emission.forEach(record -> metrics.recordIn());
        lock.lock();
        try {
            if (sink == null) {
                metrics.exception(Providers.notInstalled(type));
                return;
            }
            collect(emission);
            emission.forEach(record -> metrics.recordOut());
        } catch (Exception e) {
            metrics.exception(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A sink whose last send took long (it waits for its peer) is called as a managed block, so that the shared
     * workers add a thread while it waits and the other rules go on. A fast one is called directly: a managed block
     * on every send costs a tenth of the throughput of an MQTT relay.
     */
    private void collect(List<Map<String, Object>> emission) throws Exception {
        long start = System.nanoTime();
        try {
            if (slow) {
                Blocking.run(() -> sink.collect(emission));
            } else {
                sink.collect(emission);
            }
        } finally {
            slow = System.nanoTime() - start > SLOW_SEND_NANOS;
        }
    }

    /** The type went: the sink is closed and the node waits, disconnected, for the type to return. */
    void detach() {
        if (close()) {
            metrics.disconnected(Providers.notInstalled(type));
        }
    }

    /**
     * The type returned: a new sink from its provider is opened with this context. If that fails the node stays
     * disconnected, with the failure as its message, until the type comes again.
     */
    void reattach() {
        lock.lock();
        try {
            if (sink == null) {
                open();
            }
        } catch (Exception e) {
            metrics.exception(e);
            metrics.disconnected(NodeMetrics.message(e));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the sink once its send in progress, if any, returned; after {@link #CLOSE_PATIENCE}, under it, so that a
     * sink that never returns cannot hold up a stop.
     *
     * @return whether there was a sink to close
     */
    boolean close() {
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Sink closing = sink;
            sink = null;
            if (closing == null) {
                return false;
            }
            if (!locked) {
                LOG.warn("{} of rule {} did not return from a send within {} ms: closed while it sends",
                        operatorId(), ruleId(), CLOSE_PATIENCE.toMillis());
            }
            closing.close();
            return true;
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    NodeMetrics metrics() {
        return metrics;
    }
}
