package io.tether.pool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.kit.RuntimeStart;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;
import io.tether.pool.internal.dial.Backoff;
import io.tether.pool.internal.events.StatusEventLog;
import io.tether.pool.internal.events.StatusLogLines;
import io.tether.pool.internal.metrics.ConnectionStatusGauge;
import io.tether.pool.internal.registry.ConnectionRegistry;
import io.tether.pool.internal.registry.ForwardingConnectionPool;
import io.tether.pool.internal.registry.PoolObserver;
import io.tether.pool.internal.registry.Registration;
import io.tether.pool.internal.registry.SecretMasker;
import io.tether.pool.internal.registry.WorkerPool;
import io.tether.pool.internal.store.ConnectionStore;
import io.tether.pool.internal.store.ProvisioningFile;
import io.tether.pool.internal.schema.ConnectorCatalog;
import io.tether.pool.internal.schema.ConnectorSchema;
import io.tether.pool.internal.store.StoreState;

/**
 * The pool service. Owns the registry, its threads, the store and the status gauge; tracks connector factories as
 * they come and go. Activation loads the store but never waits on the network: dials run in the background.
 */
@Component(service = {ConnectionPool.class, ConnectorCatalog.class}, immediate = true,
        configurationPid = PoolConfiguration.PID)
@Designate(ocd = PoolConfiguration.class)
public final class ConnectionPoolComponent extends ForwardingConnectionPool implements ConnectorCatalog {
    private static final String SCHEMA_AND_TYPE = "(&(" + ConnectorFactory.TYPE_PROPERTY + "=*)("
            + ConnectorFactory.SCHEMA_PROPERTY + "=*))";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPoolComponent.class);

    private final ScheduledThreadPoolExecutor timers;
    private final WorkerPool workers;
    private final Path dataDirectory;
    private final Path home;
    private final ConnectionStatusGauge gauge;
    private final StatusLogLines statusLog;
    private final ConnectionRegistry registry;
    private final RuntimeStart runtimeStart;

    @Activate
    public ConnectionPoolComponent(BundleContext context, PoolConfiguration config,
            @Reference StatusEventLog events) {
        timers = new ScheduledThreadPoolExecutor(1, timerThread());
        timers.setRemoveOnCancelPolicy(true);
        workers = new WorkerPool("tether-pool-worker-", config.maxThreads());
        gauge = new ConnectionStatusGauge(PrometheusRegistry.defaultRegistry);
        dataDirectory = directory(config.dataDirectory(), context, "tether.data.dir", "TETHER_DATA_DIR", "data");
        home = directory(config.homeDirectory(), context, "tether.home", "TETHER_HOME", ".");
        ConnectionStore store = new ConnectionStore(dataDirectory);
        statusLog = new StatusLogLines(timers, config.statusLogLinesPerMinute());
        registry = new ConnectionRegistry(settings(config), store, PoolObserver.all(events, gauge), statusLog, timers,
                workers, new SecureRandom()::nextDouble, System::currentTimeMillis);
        // connector bundles start after this one when the runtime starts
        runtimeStart = RuntimeStart.follow(context, registry::runtimeStarting);
        registry.load(loadStore(store), readProvisioning(new ProvisioningFile(home)));
        LOG.info("Connection pool started; store {}", store.file());
    }

    /** New timings, thread bound and status log limit apply at once; every connection stays open. */
    @Modified
    void modified(BundleContext context, PoolConfiguration config) {
        workers.setBound(config.maxThreads());
        registry.reconfigure(settings(config));
        statusLog.linesPerMinute(config.statusLogLinesPerMinute());
        if (!dataDirectory.equals(directory(config.dataDirectory(), context, "tether.data.dir", "TETHER_DATA_DIR",
                "data")) || !home.equals(directory(config.homeDirectory(), context, "tether.home", "TETHER_HOME", "."))) {
            LOG.warn("A new data or home directory of the connection pool takes effect at its next start");
        }
        LOG.info("Connection pool reconfigured");
    }

    @Deactivate
    void deactivate() {
        runtimeStart.close();
        registry.runtimeStarting(false);
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
        gauge.unregister();
        LOG.info("Connection pool stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeFactory", updated = "updateFactory")
    void addFactory(ConnectorFactory factory, ServiceReference<ConnectorFactory> reference) {
        Object type = reference.getProperty(ConnectorFactory.TYPE_PROPERTY);
        if (type == null) {
            LOG.warn("Connector factory {} has no {} property; ignored", factory, ConnectorFactory.TYPE_PROPERTY);
            return;
        }
        registry.factoryAdded(String.valueOf(type), factory, registration(reference));
    }

    void removeFactory(ConnectorFactory factory, ServiceReference<ConnectorFactory> reference) {
        Object type = reference.getProperty(ConnectorFactory.TYPE_PROPERTY);
        if (type != null) {
            registry.factoryRemoved(String.valueOf(type), factory);
        }
    }

    void updateFactory(ConnectorFactory factory, ServiceReference<ConnectorFactory> reference) {
        registry.factoryRemovedEverywhere(factory);
        addFactory(factory, reference);
    }

    /** Only the registration is read (its type, bundle and schema): the provider itself is the rule layer's. */
    @Reference(service = SourceProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = SCHEMA_AND_TYPE, unbind = "removeProviderSchema", updated = "updateProviderSchema")
    void addSourceProviderSchema(ServiceReference<?> reference) {
        addProviderSchema(reference);
    }

    @Reference(service = SinkProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = SCHEMA_AND_TYPE, unbind = "removeProviderSchema", updated = "updateProviderSchema")
    void addSinkProviderSchema(ServiceReference<?> reference) {
        addProviderSchema(reference);
    }

    private void addProviderSchema(ServiceReference<?> reference) {
        Registration registration = registration(reference);
        if (registration.schema() != null) {
            registry.providerSchemaAdded(String.valueOf(reference.getProperty(ConnectorFactory.TYPE_PROPERTY)),
                    registration);
        }
    }

    void removeProviderSchema(ServiceReference<?> reference) {
        registry.providerSchemaRemoved((Long) reference.getProperty(Constants.SERVICE_ID));
    }

    void updateProviderSchema(ServiceReference<?> reference) {
        removeProviderSchema(reference);
        addProviderSchema(reference);
    }

    @Override
    public List<ConnectorType> types() {
        List<ConnectorType> types = new ArrayList<>();
        registry.installed().forEach((typ, registration) -> types.add(
                new ConnectorType(typ, registration.bundle(), registration.version())));
        return types;
    }

    @Override
    public Optional<JsonNode> schema(String typ) {
        return registry.schema(typ).map(ConnectorSchema::document);
    }

    private static ConnectionRegistry.Settings settings(PoolConfiguration config) {
        Backoff backoff = new Backoff(Duration.ofMillis(config.backoffInitialMillis()), config.backoffMultiplier(),
                Duration.ofMillis(config.backoffMaxMillis()));
        return new ConnectionRegistry.Settings(backoff, Duration.ofMillis(config.pingIntervalMillis()),
                Duration.ofMillis(config.pingTimeoutMillis()), Duration.ofMillis(config.dialTimeoutMillis()));
    }

    /** Reads the store; a store that cannot be read is set aside (never overwritten) and the pool starts empty. */
    private static StoreState loadStore(ConnectionStore store) {
        try {
            return store.load();
        } catch (IOException e) {
            Path aside = store.file().resolveSibling(store.file().getFileName() + ".unreadable-"
                    + System.currentTimeMillis());
            LOG.error("Cannot read the connection store {}; moved to {} and starting empty", store.file(), aside,
                    SecretMasker.forLog(e));
            try {
                Files.move(store.file(), aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException moveFailed) {
                throw new IllegalStateException("cannot read nor set aside " + store.file(), moveFailed);
            }
            return StoreState.EMPTY;
        }
    }

    private static List<ProvisioningFile.Entry> readProvisioning(ProvisioningFile file) {
        try {
            return file.read();
        } catch (IOException e) {
            LOG.error("Cannot read the provisioning file {}; nothing provisioned", file.file(), SecretMasker.forLog(e));
            return List.of();
        }
    }

    private static Path directory(String configured, BundleContext context, String property, String variable,
            String fallback) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String value = context.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return Path.of(value == null || value.isBlank() ? fallback : value);
    }

    /**
     * A registration's ranking, id, bundle and schema. A schema that cannot be read is logged and left out: the
     * type then works as one without a schema.
     */
    private static Registration registration(ServiceReference<?> reference) {
        int ranking = reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
        long serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
        Bundle bundle = reference.getBundle();
        if (bundle == null) {
            return new Registration(ranking, serviceId, "", "", null);
        }
        String name = bundle.getSymbolicName();
        String version = bundle.getVersion().toString();
        Object path = reference.getProperty(ConnectorFactory.SCHEMA_PROPERTY);
        if (path == null) {
            return new Registration(ranking, serviceId, name, version, null);
        }
        String location = name + "/" + path;
        URL entry = bundle.getEntry(String.valueOf(path));
        if (entry == null) {
            LOG.error("Props schema {} of connector type {} not found in its bundle; the type has no schema", location,
                    reference.getProperty(ConnectorFactory.TYPE_PROPERTY));
            return new Registration(ranking, serviceId, name, version, null);
        }
        try (InputStream in = entry.openStream()) {
            return new Registration(ranking, serviceId, name, version, ConnectorSchema.read(in, location));
        } catch (IOException e) {
            LOG.error("Props schema {} cannot be read; the type has no schema: {}", location, e.getMessage());
            return new Registration(ranking, serviceId, name, version, null);
        }
    }

    private static ThreadFactory timerThread() {
        return runnable -> {
            Thread thread = new Thread(runnable, "tether-pool-timer");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    protected ConnectionRegistry registry() {
        return registry;
    }
}
