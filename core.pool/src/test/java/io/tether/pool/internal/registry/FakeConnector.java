package io.tether.pool.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/** A controllable connector for the pool's tests. Props: {@code host} (required), {@code password} (secret). */
final class FakeConnector implements ConnectorFactory {

    /** What the next dials do. */
    enum DialOutcome { SUCCEED, FAIL_IO, FAIL_PERMANENT, FAIL_MISSING }

    volatile DialOutcome outcome = DialOutcome.SUCCEED;
    /** Outcomes of the next dials, taken one per dial before {@link #outcome}. */
    final Queue<DialOutcome> nextOutcomes = new ConcurrentLinkedQueue<>();
    volatile boolean pingFails;
    volatile boolean stateful;
    volatile CountDownLatch dialGate;
    final AtomicInteger dials = new AtomicInteger();
    final List<FakeConnection> instances = new CopyOnWriteArrayList<>();

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (!(props.get("host") instanceof String)) {
            problems.add(new PropError("host", "missing host property"));
        }
        if (props.containsKey("port") && !(props.get("port") instanceof Integer)) {
            problems.add(new PropError("port", "port must be an integer"));
        }
        return problems;
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        FakeConnection connection = new FakeConnection(props, context);
        instances.add(connection);
        return connection;
    }

    @Override
    public Set<String> secretProps() {
        return Set.of("apiKey");
    }

    FakeConnection last() {
        return instances.get(instances.size() - 1);
    }

    final class FakeConnection implements Connection {
        final Map<String, Object> props;
        final ConnectionContext context;
        final AtomicInteger ownDials = new AtomicInteger();
        volatile boolean closed;

        FakeConnection(Map<String, Object> props, ConnectionContext context) {
            this.props = props;
            this.context = context;
        }

        @Override
        public void dial() throws ConnectionException {
            dials.incrementAndGet();
            ownDials.incrementAndGet();
            DialOutcome next = nextOutcomes.poll();
            DialOutcome result = next != null ? next : outcome;
            CountDownLatch gate = dialGate;
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            switch (result) {
                case FAIL_IO -> throw ConnectionException.io("connection refused", null);
                case FAIL_PERMANENT -> throw ConnectionException.permanent("bad credentials", null);
                case FAIL_MISSING -> throw ConnectionException.missingResource("no driver installed");
                default -> { }
            }
        }

        @Override
        public void ping() throws ConnectionException {
            if (pingFails) {
                throw ConnectionException.io("no answer", null);
            }
        }

        @Override
        public boolean isStateful() {
            return stateful;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
