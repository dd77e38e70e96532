package io.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.Status;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.registry.ConnectionRegistry;
import io.tether.pool.internal.registry.ForwardingConnectionPool;
import io.tether.pool.internal.registry.PoolObserver;
import io.tether.pool.internal.registry.Registration;
import io.tether.pool.internal.registry.WorkerPool;
import io.tether.pool.internal.schema.ConnectorSchema;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.StoreState;

/**
 * The pool that runs in Tether (core.pool's registry: its state machine, backoff with jitter, dial time limit, store,
 * schema checks and secret masking), without OSGi: connector types are added and removed by hand, as the framework
 * adds and removes factory services. It has its own threads and a store in a directory of its own; {@link #close()}
 * closes every connection and ends every thread it started.
 * <p>
 * By default it retries fast (backoff 20 ms × 1.5 up to 300 ms) and pings stateless connections every 200 ms, so
 * that tests of outages finish quickly; {@link #builder()} sets the timings.
 */
public final class TestPool extends ForwardingConnectionPool implements AutoCloseable {
    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    private final ConnectionRegistry registry;
    private final ScheduledThreadPoolExecutor timers;
    private final WorkerPool workers;
    private final Path ownDirectory;
    private final Map<String, ConnectorFactory> types = new ConcurrentHashMap<>();

    private TestPool(Builder builder) {
        try {
            ownDirectory = builder.dataDirectory == null ? Files.createTempDirectory("tether-test-pool") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "test-pool-timer");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        workers = new WorkerPool("test-pool-worker-", builder.maxThreads);
        ConnectionRegistry.Settings settings = new ConnectionRegistry.Settings(
                new Backoff(builder.backoffInitial, builder.backoffMultiplier, builder.backoffMax),
                builder.pingInterval, builder.pingTimeout, builder.dialTimeout);
        Path data = builder.dataDirectory == null ? ownDirectory : builder.dataDirectory;
        registry = new ConnectionRegistry(settings, new ConnectionStore(data), PoolObserver.NONE, PoolObserver.NONE,
                timers, workers, Math::random, System::currentTimeMillis);
        registry.load(StoreState.EMPTY, List.of());
    }

    /** A pool with the fast default timings and a temporary store that {@link #close()} deletes. */
    public static TestPool create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Installs a connector type, as a factory service appearing: connections of the type (re)dial. */
    public TestPool addType(String typ, ConnectorFactory factory) {
        return addType(typ, factory, null);
    }

    /**
     * Installs a connector type with its props schema (as {@link ConnectorFactory#SCHEMA_PROPERTY} names it in a
     * bundle): the pool checks props against it and masks its {@code writeOnly} props.
     *
     * @param schema the JSON Schema document, e.g. {@code getClass().getResource("/OSGI-INF/tether/schema/x.json")};
     *               null for none
     */
    public TestPool addType(String typ, ConnectorFactory factory, URL schema) {
        ConnectorFactory before = types.put(typ, factory);
        if (before != null) {
            registry.factoryRemoved(typ, before);
        }
        registry.factoryAdded(typ, factory, new Registration(0, SERVICE_IDS.incrementAndGet(), "", "", read(schema)));
        return this;
    }

    /**
     * Uninstalls a connector type, as its bundle stopping: its connections are closed and wait, {@code disconnected}
     * with {@code connector type '<typ>' is not installed}, keeping their consumers.
     */
    public void removeType(String typ) {
        ConnectorFactory factory = types.remove(typ);
        if (factory != null) {
            registry.factoryRemoved(typ, factory);
        }
    }

    /** The connection's last known status, or fails when there is no such connection. */
    public ConnectionInfo info(String id) {
        return registry.get(id).orElseThrow(() -> new AssertionError("no connection " + id));
    }

    /** Waits until the connection reports the state, and returns what it reported. */
    public ConnectionInfo awaitStatus(String id, Status state) {
        return awaitStatus(id, state, null);
    }

    /** Waits until the connection reports the state with an error starting with {@code err} (any when null). */
    public ConnectionInfo awaitStatus(String id, Status state, String err) {
        return Poll.await(id + " " + state.text() + (err == null ? "" : " (" + err + "…)"), Poll.PATIENCE,
                () -> registry.get(id).filter(info -> info.status().status() == state
                        && (err == null || info.status().err() != null && info.status().err().startsWith(err)))
                        .orElse(null),
                () -> registry.get(id).map(info -> info.status().status().text() + " " + info.status().err())
                        .orElse("no such connection"));
    }

    /** Closes every connection, ends the pool's threads and deletes the store it created. */
    @Override
    public void close() {
        registry.close();
        timers.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            timers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownDirectory != null) {
            try (Stream<Path> files = Files.walk(ownDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }

    private static ConnectorSchema read(URL schema) {
        if (schema == null) {
            return null;
        }
        try (InputStream in = schema.openStream()) {
            return ConnectorSchema.read(in, schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + schema, e);
        }
    }

    /** A test pool's timings and store. */
    public static final class Builder {
        private Duration backoffInitial = Duration.ofMillis(20);
        private double backoffMultiplier = 1.5;
        private Duration backoffMax = Duration.ofMillis(300);
        private Duration pingInterval = Duration.ofMillis(200);
        private Duration pingTimeout = Duration.ofSeconds(2);
        private Duration dialTimeout = ConnectionRegistry.Settings.DEFAULT_DIAL_TIMEOUT;
        private int maxThreads = 8;
        private Path dataDirectory;

        private Builder() {
        }

        /** Exponential backoff with full jitter: the n-th retry waits up to min(max, initial × multiplier^n). */
        public Builder backoff(Duration initial, double multiplier, Duration max) {
            this.backoffInitial = initial;
            this.backoffMultiplier = multiplier;
            this.backoffMax = max;
            return this;
        }

        /** The runtime's defaults: backoff 100 ms × 1.5 up to 10 s, pings every 5 s within 2 s, dials within 30 s. */
        public Builder runtimeTimings() {
            return backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(10)).ping(Duration.ofSeconds(5),
                    Duration.ofSeconds(2)).dialTimeout(ConnectionRegistry.Settings.DEFAULT_DIAL_TIMEOUT);
        }

        /** How often stateless connections are pinged, and how long a ping may take. */
        public Builder ping(Duration interval, Duration timeout) {
            this.pingInterval = interval;
            this.pingTimeout = timeout;
            return this;
        }

        /** How long a dial may take before it is abandoned and retried. */
        public Builder dialTimeout(Duration timeout) {
            this.dialTimeout = timeout;
            return this;
        }

        /** The bound of the pool's worker threads (8, as the runtime's default). */
        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        /** Keeps the store in this directory (kept at close) instead of a temporary one. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        public TestPool build() {
            return new TestPool(this);
        }
    }

    @Override
    protected ConnectionRegistry registry() {
        return registry;
    }
}
