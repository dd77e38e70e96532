package io.tether.pool.internal.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.ProvisioningFile;
import io.tether.pool.internal.store.StoreState;

/** A registry on real executors with fast timings, over a store in a temporary directory. */
final class PoolHarness implements AutoCloseable {
    static final ConnectionRegistry.Settings FAST = new ConnectionRegistry.Settings(
            new Backoff(Duration.ofMillis(10), 1.5, Duration.ofMillis(50)), Duration.ofMillis(50),
            Duration.ofMillis(200));

    /** {@link #FAST} with another dial time limit. */
    static ConnectionRegistry.Settings fastWithDialTimeout(Duration dialTimeout) {
        return new ConnectionRegistry.Settings(FAST.backoff(), FAST.pingInterval(), FAST.pingTimeout(), dialTimeout);
    }

    final Path dataDirectory;
    final ConnectionStore store;
    final RecordingObserver observer = new RecordingObserver();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final WorkerPool workers = new WorkerPool("test-pool-worker-", 4);
    final ConnectionRegistry registry;

    PoolHarness(Path dataDirectory) throws Exception {
        this(dataDirectory, List.of());
    }

    PoolHarness(Path dataDirectory, List<ProvisioningFile.Entry> provisioning) throws Exception {
        this(dataDirectory, provisioning, Math::random);
    }

    /** @param random the jitter of the backoff: a constant makes the delays predictable */
    PoolHarness(Path dataDirectory, List<ProvisioningFile.Entry> provisioning, DoubleSupplier random)
            throws Exception {
        this(dataDirectory, provisioning, random, FAST, new ConnectionStore(dataDirectory), false);
    }

    /** @param runtimeStarting loads the store as the pool does while the runtime starts (connector bundles later) */
    PoolHarness(Path dataDirectory, boolean runtimeStarting) throws Exception {
        this(dataDirectory, List.of(), Math::random, FAST, new ConnectionStore(dataDirectory), runtimeStarting);
    }

    PoolHarness(Path dataDirectory, ConnectionRegistry.Settings settings) throws Exception {
        this(dataDirectory, List.of(), Math::random, settings, new ConnectionStore(dataDirectory), false);
    }

    PoolHarness(Path dataDirectory, ConnectionStore store) throws Exception {
        this(dataDirectory, List.of(), Math::random, FAST, store, false);
    }

    private PoolHarness(Path dataDirectory, List<ProvisioningFile.Entry> provisioning, DoubleSupplier random,
            ConnectionRegistry.Settings settings, ConnectionStore store, boolean runtimeStarting) throws Exception {
        this.dataDirectory = dataDirectory;
        this.store = store;
        this.registry = new ConnectionRegistry(settings, store, observer, PoolObserver.NONE, timers, workers, random,
                System::currentTimeMillis);
        registry.runtimeStarting(runtimeStarting);
        registry.load(store.load(), provisioning);
    }

    PoolHarness withFactory(String type, FakeConnector factory) {
        registry.factoryAdded(type, factory, 0, System.nanoTime());
        return this;
    }

    StoreState stored() throws Exception {
        return store.load();
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
        timers.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    static final class RecordingObserver implements PoolObserver {
        final Map<String, ConnectionStatus> named = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void statusChanged(ConnectionInfo connection, long generation) {
            if (connection.named()) {
                named.put(connection.id(), connection.status());
            }
        }

        @Override
        public void removed(ConnectionInfo connection, long generation) {
            named.remove(connection.id());
        }
    }
}
