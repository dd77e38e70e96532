package io.tether.distribution.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;

import org.ops4j.pax.exam.Option;

import io.tether.testkit.WebSocketTestServer;

/**
 * The one option list of the integration tests: the bundles shipped in the exported runtime ({@code target/tether.jar},
 * read from its {@code launcher.properties}) less the deploy folder (unless a test asks for it), and less the Tether
 * bundles a test does not ask for, in a Felix framework of its own per test class, on a free loopback port, with its
 * cache and data under {@code target/it/<test class>}. So the tests run what users run: a bundle added to
 * tether.bndrun is in them.
 */
public final class TetherRuntime {

    /** Framework property holding the HTTP port the test class's runtime listens on. */
    public static final String HTTP_PORT = "org.osgi.service.http.port";

    public static final String MQTT = "tether.conn.mqtt";
    public static final String NEURON = "tether.conn.neuron";
    public static final String EDGEX = "tether.conn.edgex";
    public static final String WEBSOCKET = "tether.conn.websocket";
    public static final String DATA_SERVER = "tether.core.dataserver";
    public static final String HTTP = "tether.conn.http";
    /** Framework property holding the port of the test class's data server (core.dataserver), on 127.0.0.1. */
    public static final String DATA_PORT = "tether.dataserver.port";
    /** The management port's filters: request limits, error format, authentication. */
    public static final String HTTP_EDGE = "tether.core.http";
    public static final String RULES = "tether.core.rule";
    /** The operator's shell: conn:* Gogo commands, the shell socket, connection files in deploy/. */
    public static final String SHELL = "tether.core.shell";
    public static final List<String> SQL = List.of("tether.conn.sql", "tether.conn.sql.jdbc.mariadb",
            "tether.conn.sql.jdbc.sqlite");

    /** Every test has the API and the pool; the other Tether bundles only when it asks for them. */
    private static final Set<String> ALWAYS = Set.of("tether.core.api", "tether.core.pool");
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    /** The deploy folder watcher: the tests install bundles themselves, unless they ask for it. */
    private static final Set<String> LEFT_OUT = Set.of(FILEINSTALL);

    private static List<ShippedBundle> shipped;
    private static Properties launcherProperties;

    private TetherRuntime() {
    }

    /** A bundle of the exported runtime, extracted to a file, with its start level there. */
    public record ShippedBundle(String symbolicName, File file, int startLevel) {
        public String url() {
            return file.toURI().toString();
        }
    }

    /** The test class's own folder (framework cache, data, home); emptied when its framework is configured. */
    public static File directory(Class<?> testClass) {
        return new File(required("tether.it.dir"), testClass.getSimpleName()).getAbsoluteFile();
    }

    /**
     * @param tetherBundles symbolic names of the Tether bundles the test wants beside the API and the pool, e.g.
     *                      {@link #MQTT}
     */
    public static Option[] options(Class<?> testClass, String... tetherBundles) {
        return options(testClass, false, tetherBundles);
    }

    /** The folder the deploy folder watcher of {@link #optionsWithDeployFolder} runtimes watches. */
    public static File deployFolder(Class<?> testClass) {
        return new File(directory(testClass), "deploy");
    }

    /**
     * As {@link #options(Class, String...)}, with the deploy folder watcher as the runtime ships it (its
     * {@code felix.fileinstall.*} run properties) watching {@link #deployFolder}, and logging to the JUL logger
     * {@code fileinstall} (the runtime logs to standard output) so that a test can read what it reports.
     */
    public static Option[] optionsWithDeployFolder(Class<?> testClass, String... tetherBundles) {
        return options(testClass, true, tetherBundles);
    }

    /** A run property of the exported runtime (tether.bndrun's -runproperties), or null. */
    public static String runProperty(String name) {
        return runProperties().getProperty(name);
    }

    private static synchronized Properties runProperties() {
        shipped();
        return launcherProperties;
    }

    private static Option[] options(Class<?> testClass, boolean withDeployFolder, String... tetherBundles) {
        File dir = directory(testClass);
        deleteTree(dir);
        int port = freePort();
        Set<String> wanted = new HashSet<>(ALWAYS);
        wanted.addAll(List.of(tetherBundles));
        List<Option> options = new ArrayList<>(List.of(
            workingDirectory(new File(dir, "exam").getPath()),
            cleanCaches(true),
            frameworkProperty("org.osgi.framework.storage").value(new File(dir, "felix-cache").getPath()),
            frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
            frameworkProperty(HTTP_PORT).value(Integer.toString(port)),
            frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
            frameworkProperty(DATA_PORT).value(Integer.toString(freePort())),
            frameworkProperty("tether.dataserver.address").value("127.0.0.1"),
            // the pool reads these from the bundle context, which falls back to system properties: set both
            frameworkProperty("tether.data.dir").value(new File(dir, "data").getPath()),
            frameworkProperty("tether.home").value(new File(dir, "home").getPath()),
            systemProperty("tether.data.dir").value(new File(dir, "data").getPath()),
            systemProperty("tether.home").value(new File(dir, "home").getPath()),
            systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
            systemProperty("pax.exam.osgi.unresolved.fail").value("true")));
        if (withDeployFolder) {
            deployFolder(testClass).mkdirs();
            wanted.add(FILEINSTALL);
            Properties run = runProperties();
            for (String name : run.stringPropertyNames()) {
                if (name.startsWith("felix.fileinstall.") && !name.equals("felix.fileinstall.dir")) {
                    options.add(frameworkProperty(name).value(run.getProperty(name)));
                }
            }
            options.add(frameworkProperty("felix.fileinstall.dir").value(deployFolder(testClass).getPath()));
            options.add(frameworkProperty("felix.fileinstall.log.default").value("jul"));
        }
        for (ShippedBundle bundle : shipped()) {
            String name = bundle.symbolicName();
            // libraries (tether.lib.*) are always there: a connector that needs one resolves, one that is left out
            // leaves the library unused
            boolean tetherModule = name.startsWith("tether.") && !name.startsWith("tether.lib.");
            if ((LEFT_OUT.contains(name) || tetherModule) && !wanted.contains(name)) {
                continue;
            }
            // logging comes first (level 1), as in the runtime; the rest at Pax Exam's default level
            options.add(bundle.startLevel() == 1 ? bundle(bundle.url()).startLevel(1) : bundle(bundle.url()));
            wanted.remove(name);
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("not shipped in the runtime: " + wanted);
        }
        options.add(junitBundles());
        // the test kit's peers for the tests in the probe: its jar is a bundle exporting io.tether.testkit
        options.add(bundle(testKit()));
        return options.toArray(Option[]::new);
    }

    /** core.testkit's jar, where the test class path has it (the local repository, or the reactor's target/). */
    private static String testKit() {
        try {
            return WebSocketTestServer.class.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shipped bundle {@code symbolicName}. */
    public static ShippedBundle shipped(String symbolicName) {
        return shipped().stream().filter(bundle -> bundle.symbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(symbolicName + " is not shipped in the runtime"));
    }

    /** Extracts the runtime's bundles once per test JVM, in the order the runtime installs them. */
    private static synchronized List<ShippedBundle> shipped() {
        if (shipped != null) {
            return shipped;
        }
        File into = new File(required("tether.it.dir"), "shipped");
        deleteTree(into);
        into.mkdirs();
        try (JarFile runtime = new JarFile(required("tether.runtime.jar"))) {
            Properties launcher = new Properties();
            try (InputStream in = runtime.getInputStream(runtime.getEntry("launcher.properties"))) {
                launcher.load(in);
            }
            launcherProperties = launcher;
            Map<String, Integer> startLevels = startLevels(launcher.getProperty("launch.runbundles.attrs"));
            List<ShippedBundle> bundles = new ArrayList<>();
            for (String path : launcher.getProperty("launch.bundles").split(",")) {
                File file = new File(into, path.substring(path.lastIndexOf('/') + 1));
                try (InputStream in = runtime.getInputStream(runtime.getEntry(path))) {
                    Files.copy(in, file.toPath());
                }
                String name;
                try (JarFile jar = new JarFile(file)) {
                    name = jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
                }
                bundles.add(new ShippedBundle(name, file, startLevels.getOrDefault(name, 0)));
            }
            shipped = List.copyOf(bundles);
            return shipped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exported runtime " + required("tether.runtime.jar"), e);
        }
    }

    /** {@code bsn;version="1.0";startlevel=2,...} (launcher.properties) as symbolic name → start level. */
    private static Map<String, Integer> startLevels(String runBundleAttributes) {
        Map<String, Integer> levels = new HashMap<>();
        for (String clause : runBundleAttributes.split(",")) {
            String[] parts = clause.split(";");
            for (String part : parts) {
                if (part.startsWith("startlevel=")) {
                    levels.put(parts[0].trim(), Integer.parseInt(part.substring("startlevel=".length())));
                }
            }
        }
        return levels;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run through failsafe");
        }
        return value;
    }

    /** Deletes {@code file}, a folder with everything in it. */
    public static void deleteTree(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child);
            }
        }
        file.delete();
    }

    /** A loopback port free now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
