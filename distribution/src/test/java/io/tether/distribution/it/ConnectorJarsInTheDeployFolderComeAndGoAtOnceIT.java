package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

import io.tether.api.connection.ConnectionPool;

/**
 * Issue 12, part 5: a connector jar in {@code deploy/} is installed and its type usable within a few polls of the
 * deploy folder watcher, as the runtime ships it; a removed jar takes its type along as fast; a jar still being
 * written is installed once, whole, and a jar written under a temporary name waits for its rename.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorJarsInTheDeployFolderComeAndGoAtOnceIT {

    private static final String FAKE_BUNDLE = "tether.it.fake";
    private static final int ROUNDS = 5;

    @Inject
    BundleContext context;

    Path deploy;
    Path staging;
    ConnectionPool pool;
    final long pollMillis = Long.parseLong(TetherRuntime.runProperty("felix.fileinstall.poll"));
    /** Events of the fake bundles installed during the test (not of one that a previous test uninstalled). */
    final List<String> fakeBundleEvents = new CopyOnWriteArrayList<>();
    final Set<Long> installedDuringTheTest = ConcurrentHashMap.newKeySet();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final BundleListener bundleListener = event -> {
        Bundle bundle = event.getBundle();
        if (event.getType() == BundleEvent.INSTALLED && FAKE_BUNDLE.equals(bundle.getSymbolicName())) {
            installedDuringTheTest.add(bundle.getBundleId());
        }
        if (installedDuringTheTest.contains(bundle.getBundleId())) {
            fakeBundleEvents.add(eventName(event.getType()) + " " + bundle.getLocation());
        }
    };
    final FrameworkListener frameworkListener = event -> {
        if (event.getType() == FrameworkEvent.ERROR || event.getType() == FrameworkEvent.WARNING) {
            problems.add("framework event " + event.getType() + " of " + event.getBundle() + ": "
                    + event.getThrowable());
        }
    };
    /** FileInstall logs to this JUL logger in these tests (TetherRuntime.optionsWithDeployFolder). */
    final Logger fileInstallLog = Logger.getLogger("fileinstall");
    final Handler fileInstallWarnings = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add("fileinstall " + record.getLevel() + ": " + record.getMessage() + " "
                        + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Configuration
    public Option[] config() {
        return TetherRuntime.optionsWithDeployFolder(ConnectorJarsInTheDeployFolderComeAndGoAtOnceIT.class);
    }

    @Before
    public void setUp() throws IOException {
        Class<?> me = ConnectorJarsInTheDeployFolderComeAndGoAtOnceIT.class;
        deploy = TetherRuntime.deployFolder(me).toPath();
        staging = Files.createDirectories(TetherRuntime.directory(me).toPath().resolve("staging"));
        fileInstallLog.addHandler(fileInstallWarnings);
        context.addBundleListener(bundleListener);
        context.addFrameworkListener(frameworkListener);
        new Rest(context).awaitReady();
        pool = Pools.await(context);
    }

    @After
    public void tearDown() throws IOException {
        try (var files = Files.list(deploy)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Poll.until("the fake connector bundle is uninstalled", () -> fakeBundle() == null);
        Pools.deleteAllNamed(context);
        context.removeFrameworkListener(frameworkListener);
        context.removeBundleListener(bundleListener);
        fileInstallLog.removeHandler(fileInstallWarnings);
    }

    @Test
    public void aJarMovedIntoDeployIsUsableAtOnceAndItsTypeLeavesWithTheJar() throws Exception {
        List<Long> installs = new ArrayList<>();
        List<Long> removals = new ArrayList<>();
        Path jar = deploy.resolve("fake.jar");
        for (int round = 0; round < ROUNDS; round++) {
            Path staged = Files.write(staging.resolve("fake.jar"), FakeConnector.jar());
            Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
            long dropped = System.nanoTime();
            installs.add(millisUntil(dropped, "the fake type is installed",
                    () -> pool.installedTypes().contains(FakeConnector.TYPE)));
            if (round == 0) {
                Rest rest = new Rest(context);
                assertEquals(201, rest.post("/connections",
                        json("id", "deployed", "typ", FakeConnector.TYPE, "props", Map.of())).status());
                assertEquals(200, rest.delete("/connections/deployed").status());
            }

            Files.delete(jar);
            long deleted = System.nanoTime();
            removals.add(millisUntil(deleted, "the fake type is gone",
                    () -> !pool.installedTypes().contains(FakeConnector.TYPE)));
            Poll.until("the fake connector bundle is uninstalled", () -> fakeBundle() == null);
        }
        System.out.printf("hot deploy, poll %d ms: jar moved into deploy/ -> type installed %s ms (median %d); "
                + "jar deleted -> type gone %s ms (median %d)%n", pollMillis, installs, median(installs), removals,
                median(removals));
        assertEquals(List.of(), problems);
    }

    @Test
    public void aJarStillBeingWrittenIsInstalledOnceAndWhole() throws Exception {
        byte[] whole = FakeConnector.jar();
        // the last cut falls inside the end of the central directory, the last record of a zip
        int[] cuts = { whole.length / 3, 2 * whole.length / 3, whole.length - 10, whole.length };
        Path jar = deploy.resolve("fake.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            int written = 0;
            for (int cut : cuts) {
                out.write(whole, written, cut - written);
                out.flush();
                written = cut;
                if (written < whole.length) {
                    // a writer that pauses longer than the poll: FileInstall sees the half jar stand still
                    Thread.sleep(3 * pollMillis);
                    assertNull("installed after " + written + " of " + whole.length + " bytes", fakeBundle());
                }
            }
        }
        long complete = System.nanoTime();
        long usable = millisUntil(complete, "the fake type is installed",
                () -> pool.installedTypes().contains(FakeConnector.TYPE));
        System.out.printf("hot deploy, poll %d ms: jar written in %d pauses of %d ms, last byte -> type installed"
                + " %d ms%n", pollMillis, cuts.length - 1, 3 * pollMillis, usable);
        Bundle bundle = fakeBundle();
        assertNotNull(bundle);
        assertHoldsEveryEntryOf(whole, bundle);
        assertStaysInstalledUnchanged(jar);
        assertEquals(List.of(), problems);
    }

    @Test
    public void aJarCopiedUnderATemporaryNameWaitsForItsRename() throws Exception {
        Path part = Files.write(deploy.resolve("fake.jar.part"), FakeConnector.jar());
        Path hidden = Files.write(deploy.resolve(".fake.jar.a1b2c3"), FakeConnector.jar());
        // whole and standing still for three polls: FileInstall would have installed them by now
        Thread.sleep(3 * pollMillis);
        assertNull(fakeBundle());
        Files.delete(hidden);

        Path jar = deploy.resolve("fake.jar");
        Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
        long renamed = System.nanoTime();
        long usable = millisUntil(renamed, "the fake type is installed",
                () -> pool.installedTypes().contains(FakeConnector.TYPE));
        System.out.printf("hot deploy, poll %d ms: fake.jar.part renamed -> type installed %d ms%n", pollMillis,
                usable);
        assertStaysInstalledUnchanged(jar);
        assertEquals(List.of(), problems);
    }

    /** One install, from {@code jar}, and nothing else for a few polls more (no update, no restart). */
    private void assertStaysInstalledUnchanged(Path jar) throws InterruptedException, IOException {
        Thread.sleep(4 * pollMillis);
        String location = jar.toFile().getCanonicalFile().toURI().normalize().toString();
        assertEquals(List.of("INSTALLED " + location, "RESOLVED " + location, "STARTED " + location),
                fakeBundleEvents);
    }

    private static void assertHoldsEveryEntryOf(byte[] jar, Bundle bundle) throws IOException {
        int entries = 0;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                URL inBundle = bundle.getEntry(entry.getName());
                assertNotNull(entry.getName(), inBundle);
                try (InputStream content = inBundle.openStream()) {
                    assertArrayEquals(entry.getName(), in.readAllBytes(), content.readAllBytes());
                }
                entries++;
            }
        }
        assertEquals(3, entries);
    }

    private Bundle fakeBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (FAKE_BUNDLE.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    /**
     * Milliseconds from {@code start} until {@code condition} holds, checked every millisecond: the figure is the
     * point here, so {@link Poll}'s 20 ms steps are too coarse.
     */
    private static long millisUntil(long start, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = start + Poll.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + Poll.PATIENCE.toMillis() + " ms: " + what);
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String eventName(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> Integer.toString(type);
        };
    }
}
