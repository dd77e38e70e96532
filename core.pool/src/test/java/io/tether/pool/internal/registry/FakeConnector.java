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

/**
 * A controllable connector for the pool's tests. Props: {@code host} (required), {@code port}, {@code server} (a
 * URL whose port must not be {@code notaport}: the message echoes it), {@code password}, {@code apiKey} and
 * {@code passphrase} (secret).
 */
final class FakeConnector implements ConnectorFactory {

    /** What the next dials do. */
    enum DialOutcome { SUCCEED, FAIL_IO, FAIL_PERMANENT, FAIL_MISSING }

    volatile DialOutcome outcome = DialOutcome.SUCCEED;
    /** Outcomes of the next dials, taken one per dial before {@link #outcome}. */
    final Queue<DialOutcome> nextOutcomes = new ConcurrentLinkedQueue<>();
    volatile boolean pingFails;
    volatile boolean stateful;
    volatile CountDownLatch dialGate;
    /** While set, dials block until interrupted or closed, then fail. */
    volatile boolean dialsHang;
    /** While not null, dials block until it is counted down, whatever interrupts or closes they get. */
    volatile CountDownLatch deafUntil;
    /** While not null, pings block until it is counted down. */
    volatile CountDownLatch pingGate;
    /** What the next dial throws as a runtime failure, if set. */
    volatile String dialCrash;
    /** Dials and pings in flight on one instance at once, at most, over the test. */
    final AtomicInteger mostConcurrentOperations = new AtomicInteger();
    final AtomicInteger dials = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    final List<FakeConnection> instances = new CopyOnWriteArrayList<>();

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (!(props.get("host") instanceof String)) {
            problems.add(new PropError("host", "missing host property"));
        }
        if (props.get("server") instanceof String server && server.endsWith(":notaport")) {
            problems.add(new PropError("server", "server " + server + " has no host"));
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

    /** {@code passphrase} is secret only because this type declares it: the pool's own rules let it through. */
    @Override
    public Set<String> secretProps() {
        return Set.of("apiKey", "passphrase");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    FakeConnection last() {
        return instances.get(instances.size() - 1);
    }

    final class FakeConnection implements Connection {
        final Map<String, Object> props;
        final ConnectionContext context;
        final AtomicInteger ownDials = new AtomicInteger();
        private final AtomicInteger operations = new AtomicInteger();
        final CountDownLatch closing = new CountDownLatch(1);
        volatile boolean closed;
        volatile boolean closedDuringDial;
        volatile boolean dialing;

        FakeConnection(Map<String, Object> props, ConnectionContext context) {
            this.props = props;
            this.context = context;
        }

        @Override
        public void dial() throws ConnectionException {
            enter();
            dialing = true;
            try {
                dialOnce();
            } finally {
                dialing = false;
                operations.decrementAndGet();
            }
        }

        private void enter() {
            int now = operations.incrementAndGet();
            mostConcurrentOperations.accumulateAndGet(now, Math::max);
        }

        private void dialOnce() throws ConnectionException {
            dials.incrementAndGet();
            ownDials.incrementAndGet();
            CountDownLatch deaf = deafUntil;
            if (deaf != null) {
                awaitUninterruptibly(deaf);
            }
            if (dialsHang) {
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw ConnectionException.io("dial aborted", null);
            }
            if (dialCrash != null) {
                throw new IllegalStateException(dialCrash);
            }
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
            enter();
            try {
                pings.incrementAndGet();
                CountDownLatch gate = pingGate;
                if (gate != null) {
                    awaitUninterruptibly(gate);
                }
                if (pingFails) {
                    throw ConnectionException.io("no answer", null);
                }
            } finally {
                operations.decrementAndGet();
            }
        }

        @Override
        public boolean isStateful() {
            return stateful;
        }

        @Override
        public void close() {
            closedDuringDial = dialing;
            closed = true;
            closing.countDown();
        }
    }
}
