package io.tether.shell.internal.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.shell.internal.DataDirectory;

/**
 * Connection files in the deploy folder ({@code <id>.connection.json}, {@code .yaml}, {@code .yml}), applied one way
 * into the pool through its service, as REST and the shell change it:
 * <ul>
 * <li>a file is applied (create, or update of an existing connection) only when its content differs from what was
 * last applied from it, also across restarts ({@link AppliedFiles}): an unchanged file never undoes a change made
 * since through REST or the shell;</li>
 * <li>a file whose type is not installed waits for the type;</li>
 * <li>deleting a file deletes its connection, unless a rule references it: then it stays and the refusal is logged
 * (a file deleted while the runtime was down is noticed at the next start);</li>
 * <li>nothing is ever written into the deploy folder.</li>
 * </ul>
 * All work runs on one thread of its own, in the order FileInstall reports the files.
 */
@Component(enabled = false, service = ArtifactInstaller.class, configurationPid = DataDirectory.POOL_PID)
public final class ConnectionFileInstaller implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionFileInstaller.class);
    /** How long a type that a factory service announced may take to show in the pool (bind order of components). */
    private static final long TYPE_WAIT_MILLIS = 5000;
    private static final long TYPE_POLL_MILLIS = 50;

    private final ConnectionPool pool;
    private final AppliedFiles applied;
    /** Files waiting for their connection type, by connection id; touched on {@link #worker} only. */
    private final Map<String, Path> waiting = new HashMap<>();
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(null, runnable, "tether-deploy-connections", 0, false);
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public ConnectionFileInstaller(BundleContext context, DataDirectory.Configuration config,
            @Reference ConnectionPool pool) throws IOException {
        this(pool, DataDirectory.of(config, context));
    }

    ConnectionFileInstaller(ConnectionPool pool, Path dataDirectory) throws IOException {
        this.pool = pool;
        this.applied = new AppliedFiles(dataDirectory);
        worker.execute(this::forgetRemovedFiles);
    }

    /** The data directory applies at the next start, as the pool's does. */
    @Modified
    void modified() {
    }

    @Deactivate
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connector type appeared: the files waiting for it are applied. */
    @Reference(service = ConnectorFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "typeRemoved")
    void typeAdded(Map<String, Object> properties) {
        Object typ = properties.get(ConnectorFactory.TYPE_PROPERTY);
        if (typ != null) {
            submit(() -> applyWaiting(String.valueOf(typ), System.nanoTime()));
        }
    }

    /** A type leaving changes nothing here: the pool parks its connections until it returns. */
    void typeRemoved(Map<String, Object> properties) {
    }

    @Override
    public boolean canHandle(File artifact) {
        return ConnectionFile.isConnectionFile(artifact.getName());
    }

    @Override
    public void install(File artifact) {
        submit(() -> apply(artifact.toPath().toAbsolutePath()));
    }

    @Override
    public void update(File artifact) {
        submit(() -> apply(artifact.toPath().toAbsolutePath()));
    }

    @Override
    public void uninstall(File artifact) {
        submit(() -> removed(artifact.toPath().toAbsolutePath()));
    }

    private void submit(Runnable work) {
        if (!worker.isShutdown()) {
            worker.execute(work);
        }
    }

    private void apply(Path file) {
        ConnectionFile.Content content;
        try {
            content = ConnectionFile.read(file);
        } catch (ConnectionFile.Invalid e) {
            LOG.error("Connection file {} not applied: {}", file, e.getMessage());
            return;
        }
        String id = content.id();
        AppliedFiles.Applied previous = applied.get(id);
        if (previous != null && !previous.file().equals(file.toString()) && Files.exists(Path.of(previous.file()))) {
            LOG.error("Connection file {} not applied: connection {} comes from {}", file, id, previous.file());
            return;
        }
        if (previous != null && previous.file().equals(file.toString()) && previous.hash().equals(content.hash())) {
            waiting.remove(id);
            return;
        }
        if (!pool.installedTypes().contains(content.typ())) {
            waiting.put(id, file);
            LOG.info("Connection file {} waits for connector type '{}' to be installed", file, content.typ());
            return;
        }
        waiting.remove(id);
        boolean existed;
        try {
            existed = pool.get(id).isPresent();
            if (existed) {
                pool.update(id, content.typ(), content.props());
            } else {
                pool.create(id, content.typ(), content.props());
            }
        } catch (ConnectionPoolException e) {
            LOG.error("Connection file {} not applied: {}", file, pool.maskSecrets(e.getMessage()));
            return;
        }
        remember(id, new AppliedFiles.Applied(file.toString(), content.hash()));
        LOG.info("Connection {} of type {} {} from {}", id, content.typ(), existed ? "updated" : "created", file);
    }

    private void removed(Path file) {
        String id = ConnectionFile.idOf(file.getFileName().toString());
        if (file.equals(waiting.get(id))) {
            waiting.remove(id);
        }
        AppliedFiles.Applied previous = applied.get(id);
        if (previous == null || !previous.file().equals(file.toString())) {
            return;
        }
        forget(id);
        try {
            pool.delete(id);
            LOG.info("Connection {} deleted: its file {} was removed", id, file);
        } catch (ConnectionPoolException e) {
            LOG.warn("Connection {} stays although its file {} was removed: {}", id, file,
                    pool.maskSecrets(e.getMessage()));
        }
    }

    /** Files removed while the runtime was down. */
    private void forgetRemovedFiles() {
        applied.all().forEach((id, file) -> {
            if (!Files.exists(Path.of(file.file()))) {
                removed(Path.of(file.file()));
            }
        });
    }

    /**
     * Applies the files waiting for {@code typ}. The pool learns of a factory from the same service event as this
     * component, maybe later: until then (at most {@value #TYPE_WAIT_MILLIS} ms) this looks again.
     */
    private void applyWaiting(String typ, long since) {
        if (!pool.installedTypes().contains(typ)) {
            if (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(TYPE_WAIT_MILLIS)) {
                worker.schedule(() -> applyWaiting(typ, since), TYPE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        for (Path file : Map.copyOf(waiting).values()) {
            apply(file);
        }
    }

    private void remember(String id, AppliedFiles.Applied file) {
        try {
            applied.put(id, file);
        } catch (IOException e) {
            LOG.error("Cannot write {}: {} (the file is applied again at the next start)", applied.store(),
                    e.getMessage());
        }
    }

    private void forget(String id) {
        try {
            applied.remove(id);
        } catch (IOException e) {
            LOG.error("Cannot write {}: {}", applied.store(), e.getMessage());
        }
    }
}
