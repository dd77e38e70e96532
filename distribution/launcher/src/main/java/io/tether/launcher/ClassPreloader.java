package io.tether.launcher;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.osgi.framework.hooks.weaving.WovenClassListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Start-up class preloading, trained on an earlier start. Most of a start is spent on one thread, the framework's
 * start-level thread, which loads the classes of each bundle as it activates it (reading them from the bundle,
 * passing them through the weaving hooks, defining them) while the second core mostly waits. The launcher script
 * records, on the start that also writes the class-data archive, which classes the bundles defined and at which
 * start level ({@value #RECORD_PROPERTY}); later starts ({@value #LIST_PROPERTY}) load those classes on a second
 * thread, one start level ahead of the framework, so that the start-level thread finds them loaded.
 * <p>
 * Loading does not initialise a class, and only bundles that are resolved already are asked (the preloader never
 * resolves or activates one: bundles with a lazy activation policy are left alone). A stale list costs nothing
 * but misses: a class that is gone is skipped.
 */
final class ClassPreloader {
    static final String LIST_PROPERTY = "tether.classlist";
    static final String RECORD_PROPERTY = "tether.classlist.record";
    /** How long after the runtime has started the recording goes on (the first requests load classes too). */
    static final long RECORD_WINDOW_MS = 10_000;
    /** The start level after the one whose bundles register weaving hooks. */
    private static final int FIRST_LEVEL = 2;

    private ClassPreloader() {
    }

    /** One class a bundle defined, at the framework start level active then. */
    record Entry(int startLevel, String bundle, String className) {
        String line() {
            return startLevel + " " + bundle + " " + className;
        }

        static Entry parse(String line) {
            String[] parts = line.split(" ");
            return parts.length == 3 ? new Entry(Integer.parseInt(parts[0]), parts[1], parts[2]) : null;
        }
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                Entry entry = Entry.parse(line);
                if (entry != null) {
                    entries.add(entry);
                }
            } catch (NumberFormatException corrupt) {
                return List.of();
            }
        }
        return entries;
    }

    // ------------------------------------------------------------------------------------------------- recording

    /** Records the classes bundles define until {@link #RECORD_WINDOW_MS} after the start, or until the stop. */
    static Recorder record(BundleContext context, Path file) {
        Recorder recorder = new Recorder(context, file);
        recorder.registration = context.registerService(WovenClassListener.class, recorder, null);
        context.addFrameworkListener(recorder);
        return recorder;
    }

    static final class Recorder implements WovenClassListener, FrameworkListener {
        private final FrameworkStartLevel startLevel;
        private final Path file;
        private final Set<String> lines = new LinkedHashSet<>();
        private final AtomicBoolean written = new AtomicBoolean();
        private final BundleContext context;
        private volatile ServiceRegistration<WovenClassListener> registration;
        private volatile long lastStartEvent;
        /** Framework events come one at a time, on the framework's event thread. */
        private Thread writer;

        private Recorder(BundleContext context, Path file) {
            this.context = context;
            this.startLevel = context.getBundle(0).adapt(FrameworkStartLevel.class);
            this.file = file;
        }

        @Override
        public void modified(WovenClass wovenClass) {
            if (wovenClass.getState() == WovenClass.DEFINED && !written.get()) {
                String line = new Entry(startLevel.getStartLevel(), wovenClass.getBundleWiring().getBundle()
                        .getSymbolicName(), wovenClass.getClassName()).line();
                synchronized (lines) {
                    lines.add(line);
                }
            }
        }

        /**
         * The framework has started, or reached the start level a launcher raised it to afterwards (bnd's starts it at
         * level 1): the recording ends {@link #RECORD_WINDOW_MS} after the last of these.
         */
        @Override
        public void frameworkEvent(FrameworkEvent event) {
            if (event.getType() != FrameworkEvent.STARTED && event.getType() != FrameworkEvent.STARTLEVEL_CHANGED) {
                return;
            }
            lastStartEvent = System.nanoTime();
            if (writer == null) {
                writer = new Thread(() -> {
                    try {
                        long left;
                        while ((left = lastStartEvent + TimeUnit.MILLISECONDS.toNanos(RECORD_WINDOW_MS)
                                - System.nanoTime()) > 0) {
                            TimeUnit.NANOSECONDS.sleep(left);
                        }
                    } catch (InterruptedException stopping) {
                        return;
                    }
                    write();
                }, "tether-classlist-record");
                writer.setDaemon(true);
                writer.start();
            }
        }

        /** Writes the list once (atomically: a start never reads half a list). */
        void write() {
            if (!written.compareAndSet(false, true)) {
                return;
            }
            ServiceRegistration<WovenClassListener> r = registration;
            try {
                if (r != null) {
                    r.unregister();
                }
                context.removeFrameworkListener(this);
            } catch (IllegalStateException frameworkStopped) {
                // its registrations went with it
            }
            List<String> snapshot;
            synchronized (lines) {
                snapshot = new ArrayList<>(lines);
            }
            try {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
                try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    for (String line : snapshot) {
                        out.write(line);
                        out.newLine();
                    }
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                System.err.println("tether: could not write the class list " + file + ": " + e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ preloading

    /** Starts the preloading thread; it ends when the list is done or the framework stops. */
    static Thread preload(BundleContext context, List<Entry> entries) {
        Thread thread = new Thread(() -> run(context, entries), "tether-class-preload");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void run(BundleContext context, List<Entry> entries) {
        Bundle system = context.getBundle(0);
        FrameworkStartLevel frameworkLevel = system.adapt(FrameworkStartLevel.class);
        Map<String, Bundle> bundles = new HashMap<>();
        try {
            for (Bundle bundle : context.getBundles()) {
                bundles.putIfAbsent(bundle.getSymbolicName(), bundle);
            }
            Map<Bundle, Boolean> eligible = new HashMap<>();
            int loaded = 0;
            for (Entry entry : entries) {
                // one level ahead of the framework: the classes of the level it is starting now are loaded by it,
                // those of the next one are ours to load meanwhile; never before level 1 has started, whose
                // bundles register the weaving hooks (SPI Fly) that a class loaded earlier would miss
                while (frameworkLevel.getStartLevel() < Math.max(FIRST_LEVEL, entry.startLevel() - 1)) {
                    if ((system.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                        return;
                    }
                    TimeUnit.MILLISECONDS.sleep(2);
                }
                Bundle bundle = bundles.get(entry.bundle());
                if (bundle != null && eligible.computeIfAbsent(bundle, ClassPreloader::eligible)
                        && (bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                    try {
                        bundle.loadClass(entry.className());
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError | RuntimeException stale) {
                        // the bundle changed since the list was recorded: its own start loads what it needs
                    }
                }
            }
            StartupTrace.event("preloaded " + loaded + " of " + entries.size() + " classes");
        } catch (InterruptedException | IllegalStateException stopping) {
            // the framework is going down
        }
    }

    private static boolean eligible(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null
                && bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY) == null;
    }
}
