package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.rule.internal.model.RuleOptions;
import io.tether.rule.internal.sql.SelectStatement;
import io.tether.rule.internal.sql.StreamDefinition;
import io.tether.rule.internal.store.SourceStateStore;

/**
 * One start of a rule: source → decode → WHERE → projection → sinks. Sources hand on data on their own threads;
 * the rule processes it in order, on the engine's shared workers, through a bounded buffer (the rule's
 * {@code bufferLength}). A source that finds the buffer full waits for room as long as it chose to (SPEC §7:
 * backpressure, so nothing accepted is lost); with {@code overflow: drop} the record is dropped and counted as an
 * exception of the source, as in eKuiper.
 */
final class RuleRun {
    private static final Logger LOG = LoggerFactory.getLogger(RuleRun.class);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

    private final String ruleId;
    private final SelectStatement select;
    private final Decoder decoder;
    private final SourceNode source;
    private final NodeMetrics operator = new NodeMetrics("op_select_0_", null);
    private final List<SinkNode> sinks;
    private final RecordQueue queue;
    private final boolean dropWhenFull;
    private final Secrets secrets;

    /** @param sourceFactory creates the source from its type's current provider; throws when it is not installed */
    RuleRun(String ruleId, StreamDefinition stream, SelectStatement select, Supplier<Source> sourceFactory,
            List<SinkNode> sinks, RuleOptions options, RuleWorkers workers, ConnectionPool pool,
            ConnectionStatusGauges gauges, SourceStateStore states, Secrets secrets) {
        this.ruleId = ruleId;
        this.select = select;
        this.decoder = new Decoder(stream);
        this.secrets = secrets;
        this.queue = new RecordQueue(ruleId, options.bufferLength(), workers, secrets::mask);
        this.dropWhenFull = options.overflow() == RuleOptions.Overflow.DROP;
        this.source = new SourceNode(ruleId, stream, pool, sourceFactory,
                gauges.source(ruleId, stream.type(), "source_" + stream.name()), states);
        this.sinks = List.copyOf(sinks);
    }

    /**
     * Opens the sinks, then the source. On failure everything opened is closed again and the failure thrown.
     */
    void start() throws Exception {
        List<SinkNode> opened = new ArrayList<>();
        try {
            for (SinkNode sink : sinks) {
                sink.open();
                opened.add(sink);
            }
            source.open();
        } catch (Exception e) {
            opened.forEach(this::closeQuietly);
            queue.stop(Duration.ZERO);
            releaseMetrics();
            throw e;
        }
    }

    /**
     * Takes no more records (a source waiting for room returns at once), closes the source, processes the records
     * accepted (at most a few seconds: what is left then is lost, and logged), closes the sinks.
     */
    void stop() {
        queue.close();
        source.close();
        queue.stop(STOP_PATIENCE);
        sinks.forEach(this::closeQuietly);
        releaseMetrics();
    }

    /** A source type went: a source of that type is closed and reports disconnected; the rule goes on. */
    void sourceTypeRemoved(String type) {
        if (source.type.equalsIgnoreCase(type)) {
            source.detach();
        }
    }

    /** A sink type went: the sinks of that type are closed and report disconnected; the others go on. */
    void sinkTypeRemoved(String type) {
        sinks.stream().filter(sink -> sink.type().equalsIgnoreCase(type)).forEach(SinkNode::detach);
    }

    /** A source type came: a source of that type closed when it went is created again. */
    void sourceTypeAdded(String type) {
        if (source.type.equalsIgnoreCase(type)) {
            source.reattach();
        }
    }

    /** A sink type came: the sinks of that type closed when it went are created again. */
    void sinkTypeAdded(String type) {
        sinks.stream().filter(sink -> sink.type().equalsIgnoreCase(type)).forEach(SinkNode::reattach);
    }

    /** A connection type came to the pool: the nodes that the pool refused for want of it are opened again. */
    void connectionTypeInstalled(String type) {
        if (type.equals(source.missingType)) {
            source.reattach();
        }
        sinks.stream().filter(sink -> type.equals(sink.missingType())).forEach(SinkNode::reattach);
    }

    /** The connection types whose absence from the pool keeps nodes of this run closed. */
    Set<String> missingConnectionTypes() {
        Set<String> missing = new HashSet<>();
        if (source.missingType != null) {
            missing.add(source.missingType);
        }
        sinks.stream().map(SinkNode::missingType).filter(type -> type != null).forEach(missing::add);
        return missing;
    }

    private void releaseMetrics() {
        source.metrics().release();
        sinks.forEach(sink -> sink.metrics().release());
    }

    Map<String, Object> metrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        source.metrics().putInto(metrics);
        operator.putInto(metrics);
        sinks.forEach(sink -> sink.metrics().putInto(metrics));
        return metrics;
    }

    private void process(Map<String, Object> record) {
        Map<String, Object> result;
        operator.recordIn();
        try {
            if (!select.matches(record)) {
                return;
            }
            result = select.project(record);
        } catch (RuntimeException e) {
            operator.exception(e);
            return;
        }
        operator.recordOut();
        List<Map<String, Object>> emission = List.of(result);
        sinks.forEach(sink -> sink.send(emission));
    }

    private void closeQuietly(SinkNode sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("closing {} of rule {} failed: {}", sink.operatorId(), sink.ruleId(),
                    secrets.mask(e.toString()));
        }
    }

    /**
     * The source's side of the run: what it hands on is decoded and queued for processing. While the source's
     * connector type is not installed the node has no source and reports disconnected.
     */
    private final class SourceNode extends NodeContextBase implements SourceContext {
        private final String type;
        private final Supplier<Source> sourceFactory;
        private final NodeMetrics metrics;
        private final SourceStateStore states;
        private Source source;
        /** The connection type the pool refused the last open for want of; null when that open did not fail so. */
        private String missingType;

        SourceNode(String ruleId, StreamDefinition stream, ConnectionPool pool, Supplier<Source> sourceFactory,
                ConnectionStatusGauges.Series gauge, SourceStateStore states) {
            this(ruleId, "source_" + stream.name(), stream.type(), pool, sourceFactory,
                    new NodeMetrics("source_" + stream.name() + "_0_", gauge, queue::blockedMillis), states);
        }

        private SourceNode(String ruleId, String operatorId, String type, ConnectionPool pool,
                Supplier<Source> sourceFactory, NodeMetrics metrics, SourceStateStore states) {
            super(ruleId, operatorId, pool, metrics);
            this.type = type;
            this.sourceFactory = sourceFactory;
            this.metrics = metrics;
            this.states = states;
        }

        NodeMetrics metrics() {
            return metrics;
        }

        void open() throws Exception {
            missingType = null;
            Source created = sourceFactory.get();
            try {
                created.open(this);
            } catch (Exception e) {
                missingType = Providers.missingConnectionType(e);
                throw e;
            }
            source = created;
        }

        void close() {
            Source closing = source;
            source = null;
            if (closing == null) {
                return;
            }
            try {
                closing.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the source of rule {} failed: {}", ruleId, secrets.mask(e.toString()));
            }
        }

        void detach() {
            if (source != null) {
                close();
                metrics.disconnected(Providers.notInstalled(type));
            }
        }

        /** As {@link SinkNode#reattach()}: a failure leaves the node disconnected with the failure as message. */
        void reattach() {
            if (source != null) {
                return;
            }
            try {
                open();
            } catch (Exception e) {
                metrics.exception(e);
                metrics.disconnected(NodeMetrics.message(e));
            }
        }

        @Override
        public void emit(RawMessage message) {
            handOnWithoutLimit(decoding(message));
        }

        @Override
        public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
            handOnWithoutLimit(conforming(record));
        }

        @Override
        public Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException {
            return handOn(decoding(message), maxWait);
        }

        @Override
        public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
                throws InterruptedException {
            return handOn(conforming(record), maxWait);
        }

        @Override
        public Reservation reserve(Duration maxWait) throws InterruptedException {
            long maxWaitNanos = dropWhenFull ? 0 : RecordQueue.nanos(maxWait);
            RecordQueue.Outcome outcome = queue.reserve(maxWaitNanos);
            switch (outcome) {
                case ACCEPTED:
                    return new HeldRoom();
                case FULL:
                    countDropped(maxWait);
                    return Reservations.NOT_HELD_DROPPED;
                default:
                    return Reservations.NOT_HELD_CLOSED;
            }
        }

        /** Room held in the queue; the message is decoded when prepared, so that a decoding failure can be told. */
        private final class HeldRoom implements Reservation {
            private Runnable prepared;
            private boolean ended;

            @Override
            public Acceptance acceptance() {
                return Acceptance.ACCEPTED;
            }

            @Override
            public void prepare(RawMessage message) {
                checkOpen();
                List<Map<String, Object>> records = decoder.decode(message.payload());
                prepared = () -> records.forEach(record -> {
                    metrics.recordOut();
                    process(record);
                });
            }

            @Override
            public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
                checkOpen();
                Map<String, Object> conformed = decoder.conform(new HashMap<>(record));
                prepared = () -> {
                    metrics.recordOut();
                    process(conformed);
                };
            }

            @Override
            public void commit() {
                checkOpen();
                if (prepared == null) {
                    throw new IllegalStateException("nothing was prepared");
                }
                ended = true;
                queue.commit(prepared);
                metrics.recordIn();
            }

            @Override
            public void release() {
                if (!ended) {
                    ended = true;
                    queue.release();
                }
            }

            private void checkOpen() {
                if (ended) {
                    throw new IllegalStateException("the reservation was committed or released");
                }
            }
        }

        private Runnable decoding(RawMessage message) {
            return () -> {
                List<Map<String, Object>> records;
                try {
                    records = decoder.decode(message.payload());
                } catch (IllegalArgumentException e) {
                    metrics.exception(e);
                    return;
                }
                records.forEach(record -> {
                    metrics.recordOut();
                    process(record);
                });
            };
        }

        private Runnable conforming(Map<String, Object> record) {
            Map<String, Object> copy = new HashMap<>(record);
            return () -> {
                Map<String, Object> conformed;
                try {
                    conformed = decoder.conform(copy);
                } catch (IllegalArgumentException e) {
                    metrics.exception(e);
                    return;
                }
                metrics.recordOut();
                process(conformed);
            };
        }

        /** As {@link SourceContext#emit}: an interrupt ends the wait and stays set. */
        private void handOnWithoutLimit(Runnable work) {
            try {
                handOn(work, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** @param maxWait {@code null}: without limit */
        private Acceptance handOn(Runnable work, Duration maxWait) throws InterruptedException {
            long maxWaitNanos = dropWhenFull ? 0 : maxWait == null ? Long.MAX_VALUE : RecordQueue.nanos(maxWait);
            RecordQueue.Outcome outcome = queue.offer(work, maxWaitNanos);
            switch (outcome) {
                case ACCEPTED:
                    metrics.recordIn();
                    return Acceptance.ACCEPTED;
                case FULL:
                    countDropped(maxWait);
                    return Acceptance.DROPPED;
                default:
                    return Acceptance.CLOSED;
            }
        }

        private void countDropped(Duration maxWait) {
            metrics.recordIn();
            metrics.exception(dropWhenFull
                    ? "rule " + ruleId + " is overloaded: its buffer of " + queue.capacity()
                            + " records is full, record dropped (options.bufferLength)"
                    : "rule " + ruleId + " is overloaded: its buffer of " + queue.capacity()
                            + " records stayed full for " + maxWait.toMillis()
                            + " ms, record dropped (options.bufferLength)");
        }

        @Override
        public void reportError(Throwable error) {
            metrics.exception(error);
        }

        @Override
        public Map<String, Object> state() {
            return states.get(ruleId);
        }

        /** A state that cannot be written is counted as the source's exception; the source goes on. */
        @Override
        public void saveState(Map<String, Object> newState) {
            try {
                states.put(ruleId, Collections.unmodifiableMap(new LinkedHashMap<>(newState)));
            } catch (IOException e) {
                metrics.exception("cannot save the source state: " + e.getMessage());
            }
        }
    }
}
