package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusSink;
import io.tether.api.io.SourceProvider;

/**
 * What every connector must do in the pool, as a JUnit 5 suite: extend it with one class that says how to reach a
 * peer of the type, and the suite runs the connector in the real pool ({@link TestPool}) with a {@link TcpProxy}
 * between them that it cuts, freezes and restores:
 * <ul>
 * <li>dial and ping are never called at once on one instance, through outages and recoveries;</li>
 * <li>a close during a dial (against a peer that accepts and never answers) aborts it: the dial ends within a few
 * seconds and no thread it started is left;</li>
 * <li>a re-dial restores the consumers: a source gets data again after the link was cut and restored;</li>
 * <li>a lost link is reported {@code disconnected}, then {@code connecting}, then {@code connected} once back;</li>
 * <li>the type removed and returned: connections wait with {@code connector type '<typ>' is not installed} and come
 * back with their consumers;</li>
 * <li>the secret in the props never shows in the connection's {@code toString()}, dial errors or validation
 * messages;</li>
 * <li>two consumers on one named connection: one detaches (its rule stops), the other still receives and the
 * connection stays up (a consumer's detach never closes the client the others use).</li>
 * </ul>
 * The subclass starts its peer (e.g. in a {@code @BeforeAll}) and provides the hooks below. To skip a test for a
 * known defect, override it with {@code @Disabled("why")}.
 */
public abstract class ConnectorContract {
    /** The name of the connection each test creates. */
    protected static final String CONNECTION = "contract";
    private static final Duration A_FEW_SECONDS = Duration.ofSeconds(5);

    /** The pool of the current test, with the type installed. */
    protected TestPool pool;
    /** The proxy between the pool and the peer. */
    protected TcpProxy proxy;
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** The connection type. */
    protected abstract String type();

    /** The type's factory; called once per test. */
    protected abstract ConnectorFactory factory();

    /** The type's props schema, or null when it has none. */
    protected URL schema() {
        return null;
    }

    /** The loopback port the peer listens on. */
    protected abstract int peerPort();

    /** Valid props of a connection to the peer through the loopback port {@code port}, with {@link #secret()}. */
    protected abstract Map<String, Object> props(int port);

    /** The value of a secret in {@link #props(int)} (a password, a token). */
    protected abstract String secret();

    /** {@code props} made invalid (for {@code validate}) while still holding the secret. */
    protected abstract Map<String, Object> invalid(Map<String, Object> props);

    /** The type's source provider, or null when it has none: the consumer tests are then skipped. */
    protected SourceProvider sourceProvider() {
        return null;
    }

    /** The datasource of the source a test opens (a topic, a table). */
    protected String datasource() {
        return "";
    }

    /** The source's props besides the connection selector (a poll interval, a QoS). */
    protected Map<String, Object> sourceProps() {
        return Map.of();
    }

    /** Makes the peer hold data that the source delivers next, carrying {@code marker} (a payload, a value). */
    protected void produce(String marker) throws Exception {
        throw new UnsupportedOperationException("produce");
    }

    @BeforeEach
    void startContract() {
        proxy = new TcpProxy(peerPort());
        closing.add(proxy);
        pool = TestPool.create();
        closing.add(pool);
    }

    @AfterEach
    void stopContract() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        closing.clear();
    }

    @Test
    public void dialAndPingAreNeverConcurrent() throws Exception {
        Watched watched = new Watched(factory());
        pool.addType(type(), watched, schema());
        pool.create(CONNECTION, type(), props(proxy.port()));
        pool.awaitStatus(CONNECTION, Status.CONNECTED);
        for (int outage = 0; outage < 3; outage++) {
            proxy.cut();
            Poll.until("the loss is noticed", () -> pool.info(CONNECTION).status().status() != Status.CONNECTED);
            int dials = watched.dialsStarted.get();
            Poll.until("a re-dial", () -> watched.dialsStarted.get() > dials);
            proxy.restore();
            pool.awaitStatus(CONNECTION, Status.CONNECTED);
        }
        assertEquals(List.of(), watched.overlaps, "dial and ping ran at once");
    }

    @Test
    public void closeDuringADialAbortsIt() throws Exception {
        Watched watched = new Watched(factory());
        pool.addType(type(), watched, schema());
        // shared threads of the connector (started by a first connection) are not the dial's
        pool.create("warm-up", type(), props(proxy.port()));
        pool.awaitStatus("warm-up", Status.CONNECTED);
        pool.delete("warm-up");
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        proxy.freeze();
        pool.create(CONNECTION, type(), props(proxy.port()));
        Poll.until("a dial against the silent peer", () -> watched.dialsStarted.get() > watched.dialsEnded.get());
        pool.delete(CONNECTION);
        Poll.until("the dial ends once its connection is closed", A_FEW_SECONDS,
                () -> watched.dialsEnded.get() == watched.dialsStarted.get());
        Poll.until("no thread of the aborted dial is left", A_FEW_SECONDS, () -> leftThreads(before).isEmpty(),
                () -> leftThreads(before));
    }

    @Test
    public void reDialRestoresConsumers() throws Exception {
        SourceProvider sources = sourceProvider();
        assumeTrue(sources != null, "the type has no source");
        pool.addType(type(), factory(), schema());
        pool.create(CONNECTION, type(), props(proxy.port()));
        RecordingSourceContext source = openSource(sources);
        awaitDelivery(source);

        proxy.cut();
        Poll.until("the loss is noticed", () -> pool.info(CONNECTION).status().status() != Status.CONNECTED);
        proxy.restore();
        pool.awaitStatus(CONNECTION, Status.CONNECTED);
        awaitDelivery(source);
    }

    @Test
    public void aLostLinkIsReportedDisconnectedThenConnectingThenConnected() {
        pool.addType(type(), factory(), schema());
        pool.create(CONNECTION, type(), props(proxy.port()));
        List<Status> told = new CopyOnWriteArrayList<>();
        ConnectionHandle handle = pool.attach("listener", "listener", type(),
                Map.of(ConnectionPool.CONNECTION_SELECTOR, CONNECTION), (id, status) -> told.add(status.status()));
        closing.add(handle);
        // the pool tells listeners on a thread of its own: the handle may say connected before the listener is told
        Poll.until("the listener is told connected",
                () -> !told.isEmpty() && told.get(told.size() - 1) == Status.CONNECTED, () -> told);
        told.clear();

        proxy.cut();
        Poll.until("disconnected, then connecting while the peer is away",
                () -> told.indexOf(Status.DISCONNECTED) >= 0
                        && told.subList(told.indexOf(Status.DISCONNECTED), told.size()).contains(Status.CONNECTING),
                () -> told);
        ConnectionStatus away = handle.status();
        assertTrue(away.err() != null && !away.err().isEmpty(), "the reason is kept: " + away);
        proxy.restore();
        Poll.until("connected again", () -> !told.isEmpty() && told.get(told.size() - 1) == Status.CONNECTED,
                () -> told);
        assertEquals(Status.DISCONNECTED, told.get(0), "the loss is told first: " + told);
    }

    @Test
    public void aRemovedTypeParksItsConnectionsAndItsReturnRestoresThemWithTheirConsumers() throws Exception {
        ConnectorFactory factory = factory();
        pool.addType(type(), factory, schema());
        pool.create(CONNECTION, type(), props(proxy.port()));
        List<ConnectionStatus> told = new CopyOnWriteArrayList<>();
        ConnectionHandle handle = pool.attach("listener", "listener", type(),
                Map.of(ConnectionPool.CONNECTION_SELECTOR, CONNECTION), (id, status) -> told.add(status));
        closing.add(handle);
        SourceProvider sources = sourceProvider();
        RecordingSourceContext source = sources == null ? null : openSource(sources);
        pool.awaitStatus(CONNECTION, Status.CONNECTED);

        pool.removeType(type());
        String notInstalled = "connector type '" + type() + "' is not installed";
        pool.awaitStatus(CONNECTION, Status.DISCONNECTED, notInstalled);
        Poll.until("the consumer is told", () -> told.stream().anyMatch(s -> notInstalled.equals(s.err())), () -> told);
        pool.addType(type(), factory, schema());
        pool.awaitStatus(CONNECTION, Status.CONNECTED);
        Poll.until("the consumer is told", () -> told.get(told.size() - 1).status() == Status.CONNECTED, () -> told);
        assertEquals(Status.CONNECTED, handle.status().status());
        assertTrue(pool.info(CONNECTION).status().refs().contains("listener"), "the consumer stays attached");
        if (source != null) {
            awaitDelivery(source);
        }
    }

    @Test
    public void theSecretNeverShowsInToStringDialErrorsOrValidation() throws Exception {
        String secret = secret();
        Map<String, Object> props = props(proxy.port());
        assertTrue(props.toString().contains(secret), "props(port) hold the secret " + secret);
        ConnectorFactory factory = factory();
        proxy.cut();

        Connection connection = factory.create(props, new QuietContext(CONNECTION));
        try {
            assertFalse(connection.toString().contains(secret), connection.toString());
            ConnectionException failed = assertThrows(ConnectionException.class, connection::dial);
            assertNoSecretIn(failed, secret);
        } finally {
            connection.close();
        }
        List<PropError> problems = factory.validate(invalid(props));
        assertFalse(problems.isEmpty(), "invalid(props) are invalid");
        assertFalse(problems.toString().contains(secret), problems.toString());

        pool.addType(type(), factory, schema());
        pool.create(CONNECTION, type(), props);
        String err = pool.awaitStatus(CONNECTION, Status.DISCONNECTED).status().err();
        assertFalse(err.contains(secret), err);
        ConnectionPoolException refused = assertThrows(ConnectionPoolException.class,
                () -> pool.create("invalid", type(), invalid(props)));
        assertFalse(refused.getMessage().contains(secret), refused.getMessage());
    }

    @Test
    public void aConsumerThatDetachesLeavesTheOthersOnTheConnectionReceiving() throws Exception {
        SourceProvider sources = sourceProvider();
        assumeTrue(sources != null, "the type has no source");
        pool.addType(type(), factory(), schema());
        pool.create(CONNECTION, type(), props(proxy.port()));
        RecordingSourceContext stopping = openSource(sources, "contract-rule-1");
        RecordingSourceContext staying = openSource(sources, "contract-rule-2");
        awaitDelivery(stopping);
        awaitDelivery(staying);

        stopping.close();
        awaitDelivery(staying);
        ConnectionStatus status = pool.info(CONNECTION).status();
        assertEquals(Status.CONNECTED, status.status(), "the connection stays up: " + status);
        assertEquals(List.of("contract-rule-2"), status.refs(), "only the detached consumer left");
    }

    private RecordingSourceContext openSource(SourceProvider sources) throws Exception {
        return openSource(sources, "contract-rule");
    }

    private RecordingSourceContext openSource(SourceProvider sources, String rule) throws Exception {
        RecordingSourceContext context = new RecordingSourceContext(pool, rule, "source_contract");
        closing.add(context);
        Map<String, Object> props = new HashMap<>(sourceProps());
        props.put(ConnectionPool.CONNECTION_SELECTOR, CONNECTION);
        return context.open(sources.create(datasource(), props));
    }

    /**
     * Produces data every half second until the source delivers some produced since this call (the source may still
     * be setting up, and data produced before may come late).
     */
    private void awaitDelivery(RecordingSourceContext source) throws Exception {
        long deadline = System.nanoTime() + Poll.PATIENCE.toNanos();
        List<String> markers = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() - deadline < 0) {
            String marker = "m" + markers.size() + "-" + System.nanoTime();
            produce(marker);
            markers.add(marker);
            long next = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() - next < 0) {
                String message = source.next(Duration.ofMillis(20));
                if (message != null) {
                    seen.append(message).append('\n');
                }
                String all = seen + source.records.toString();
                if (markers.stream().anyMatch(all::contains)) {
                    return;
                }
            }
        }
        throw new AssertionError("not within " + Poll.PATIENCE.toMillis() + " ms: the source delivers one of "
                + markers + "; it delivered: " + seen + source.records);
    }

    private static void assertNoSecretIn(Throwable failure, String secret) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "a dial error shows the secret: " + t);
        }
    }

    private static Set<String> leftThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("test-pool-") && !name.startsWith("proxy-"))
                .collect(Collectors.toSet());
    }

    /** The factory, with its instances' dials and pings watched for overlaps. */
    private static final class Watched implements ConnectorFactory {
        final AtomicInteger dialsStarted = new AtomicInteger();
        final AtomicInteger dialsEnded = new AtomicInteger();
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        private final ConnectorFactory factory;

        Watched(ConnectorFactory factory) {
            this.factory = factory;
        }

        @Override
        public List<PropError> validate(Map<String, Object> props) {
            return factory.validate(props);
        }

        @Override
        public List<PropError> validate(String connectionId, Map<String, Object> props) {
            return factory.validate(connectionId, props);
        }

        @Override
        public Set<String> secretProps() {
            return factory.secretProps();
        }

        @Override
        public Connection create(Map<String, Object> props, ConnectionContext context) throws ConnectionException {
            Connection connection = factory.create(new HashMap<>(props), context);
            AtomicInteger running = new AtomicInteger();
            return new Connection() {
                @Override
                public void dial() throws ConnectionException {
                    dialsStarted.incrementAndGet();
                    enter("dial");
                    try {
                        connection.dial();
                    } finally {
                        running.decrementAndGet();
                        dialsEnded.incrementAndGet();
                    }
                }

                @Override
                public void ping() throws ConnectionException {
                    enter("ping");
                    try {
                        connection.ping();
                    } finally {
                        running.decrementAndGet();
                    }
                }

                private void enter(String what) {
                    if (running.incrementAndGet() > 1) {
                        overlaps.add(what + " while another dial or ping ran");
                    }
                }

                @Override
                public boolean isStateful() {
                    return connection.isStateful();
                }

                @Override
                public void close() {
                    connection.close();
                }

                @Override
                public String toString() {
                    return connection.toString();
                }
            };
        }
    }
}
