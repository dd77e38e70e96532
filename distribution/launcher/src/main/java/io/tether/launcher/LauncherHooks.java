package io.tether.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * An embedded activator of the bnd launcher (manifest header {@code Embedded-Activator}): the launcher starts it
 * with the system bundle's context right after the framework is initialised, before any bundle starts.
 * <ul>
 * <li>The bnd launcher does not stop the framework when the JVM is asked to terminate (SIGTERM, SIGINT): without
 * this hook the JVM exits with every bundle still active, and no {@code @Deactivate} runs. The hook stops the
 * framework (bundles stop in reverse start-level order) and waits for it, bounded by
 * {@value #STOP_TIMEOUT_PROPERTY} (ms, default {@value #DEFAULT_STOP_TIMEOUT_MS}).</li>
 * <li>With {@code -Dtether.trace.startup=true} it prints when each bundle starts ({@link StartupTrace}).</li>
 * <li>It shows SPI Fly only the bundles that need it ({@link ServiceLoaderScope}).</li>
 * <li>It preloads classes on a second thread from a list recorded on an earlier start, or records that list
 * ({@link ClassPreloader}).</li>
 * <li>On a machine of one or two cores it gives the common fork-join pool two threads ({@link #commonPoolOfTwo}).</li>
 * <li>It applies the runtime's java.util.logging defaults (quiet CXF, SPI Fly and JLine) unless the JVM was
 * given a JUL configuration of its own.</li>
 * </ul>
 */
public final class LauncherHooks implements BundleActivator {

    /**
     * Read by the bnd launcher: start this activator right after the framework is initialised, before the bundles of
     * the first start level start (the bundle hooks of {@link ServiceLoaderScope} must be there before SPI Fly).
     */
    public static final String IMMEDIATE = "AFTER_FRAMEWORK_INIT";

    static final String STOP_TIMEOUT_PROPERTY = "tether.shutdown.timeout";
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    static final long DEFAULT_STOP_TIMEOUT_MS = 30_000;

    private Thread hook;
    private ClassPreloader.Recorder recorder;

    @Override
    public void start(BundleContext context) {
        commonPoolOfTwo();
        configureJul();
        if (Boolean.getBoolean(StartupTrace.PROPERTY)) {
            StartupTrace.install(context);
        }
        ServiceLoaderScope.install(context);
        startClassPreloading(context);
        Framework framework = (Framework) context.getBundle(0);
        long timeout = Long.getLong(STOP_TIMEOUT_PROPERTY, DEFAULT_STOP_TIMEOUT_MS);
        hook = new Thread(() -> {
            if (recorder != null) {
                recorder.write();
            }
            stopFramework(framework, timeout);
        }, "launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void stop(BundleContext context) {
        if (recorder != null) {
            recorder.write();
        }
        Thread h = hook;
        hook = null;
        if (h != null && h != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: nothing to undo
            }
        }
    }

    private void startClassPreloading(BundleContext context) {
        String record = System.getProperty(ClassPreloader.RECORD_PROPERTY);
        String list = System.getProperty(ClassPreloader.LIST_PROPERTY);
        if (record != null && !record.isBlank()) {
            recorder = ClassPreloader.record(context, Path.of(record));
        } else if (list != null && !list.isBlank() && Files.isReadable(Path.of(list))) {
            try {
                ClassPreloader.preload(context, ClassPreloader.read(Path.of(list)));
            } catch (IOException | RuntimeException e) {
                System.err.println("tether: could not read the class list " + list + ": " + e);
            }
        }
    }

    static void stopFramework(Framework framework, long timeoutMs) {
        int state = framework.getState();
        if ((state & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            return;
        }
        try {
            System.err.println("tether: stopping the framework (JVM shutdown)");
            framework.stop();
            FrameworkEvent event = framework.waitForStop(timeoutMs);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("tether: the framework did not stop within " + timeoutMs + " ms");
            }
        } catch (Exception e) {
            System.err.println("tether: stopping the framework failed: " + e);
        } catch (Error e) { // a bundle's stop code failed badly: still let the JVM exit
            System.err.println("tether: stopping the framework failed: " + e);
        }
    }

    /**
     * A CompletableFuture step that is "async" without an executor runs on a thread of its own, started for it, when
     * the common pool has fewer than two threads — which it has on a machine of one or two cores, the size of many
     * gateways. Java's HTTP client completes every {@code sendAsync} that way: the rest sink posted 0.49 of a bare
     * client's requests per second on two cores, 0.78 with a common pool of two (conn.http's RestSinkBenchmark, same
     * run). So the runtime asks for two, unless the JVM was given a parallelism; this runs before anything starts the
     * common pool (it reads the property once, when first used).
     */
    static void commonPoolOfTwo() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    private static void configureJul() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = LauncherHooks.class.getResourceAsStream("logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tether: could not apply the logging defaults: " + e);
        }
    }
}
