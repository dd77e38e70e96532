package io.tether.conn.sql.internal.connection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Constants;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.conn.sql.internal.Poll;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.registry.ConnectionRegistry;
import io.tether.pool.internal.registry.PoolObserver;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.StoreState;

/** The real pool registry with the sql connector in it, on fast timings, and its drivers as a test adds them. */
public final class SqlPool implements AutoCloseable {
    public static final ConnectionRegistry.Settings FAST = new ConnectionRegistry.Settings(
            new Backoff(Duration.ofMillis(20), 1.5, Duration.ofMillis(300)), Duration.ofMillis(200),
            Duration.ofSeconds(2));

    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    public final SqlConnectorFactory factory = new SqlConnectorFactory();
    public final ConnectionRegistry registry;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    public SqlPool() throws Exception {
        this(FAST);
    }

    public SqlPool(ConnectionRegistry.Settings settings) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pool");
        registry = new ConnectionRegistry(settings, new ConnectionStore(data), PoolObserver.NONE, timers, workers,
                Math::random, System::currentTimeMillis);
        registry.load(StoreState.EMPTY, java.util.List.of());
        registry.factoryAdded(SqlConnectorFactory.TYPE, factory, 0, 1);
    }

    public SqlPool withDriver(DataSourceFactory driver) {
        factory.addDriver(driver, Map.of(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet()));
        return this;
    }

    public void removeDriver(DataSourceFactory driver) {
        factory.removeDriver(driver);
    }

    /** Waits until the connection reports the state, with an error that starts with {@code err} (if not null). */
    public ConnectionInfo awaitStatus(String id, Status state, String err) {
        return Poll.await(id + " " + state.text() + (err == null ? "" : " (" + err + "…)"), Poll.PATIENCE,
                () -> registry.get(id).filter(info -> info.status().status() == state
                        && (err == null || info.status().err() != null && info.status().err().startsWith(err)))
                        .orElse(null),
                () -> registry.get(id));
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
        timers.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
