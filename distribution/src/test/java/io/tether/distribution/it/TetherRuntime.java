package io.tether.distribution.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.ops4j.pax.exam.Option;

/**
 * The one option list of the integration tests: the runtime of tether.bndrun (less the shell and the deploy folder)
 * in a Felix framework of its own per test class, on a free loopback port, with its cache and data under
 * {@code target/it/<test class>}. Reactor bundles come as {@code file:} URLs of their built jars (system properties
 * set by failsafe), third-party bundles from the local Maven repository.
 */
public final class TetherRuntime {

    /** Framework property holding the HTTP port the test class's runtime listens on. */
    public static final String HTTP_PORT = "org.osgi.service.http.port";

    private TetherRuntime() {
    }

    /** The test class's own folder (framework cache, data, home); emptied when its framework is configured. */
    public static File directory(Class<?> testClass) {
        return new File(required("tether.it.dir"), testClass.getSimpleName()).getAbsoluteFile();
    }

    public static Option[] options(Class<?> testClass) {
        File dir = directory(testClass);
        deleteTree(dir);
        int port = freePort();
        return new Option[] {
            workingDirectory(new File(dir, "exam").getPath()),
            cleanCaches(true),
            frameworkProperty("org.osgi.framework.storage").value(new File(dir, "felix-cache").getPath()),
            frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
            frameworkProperty(HTTP_PORT).value(Integer.toString(port)),
            frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
            // the pool reads these from the bundle context, which falls back to system properties: set both
            frameworkProperty("tether.data.dir").value(new File(dir, "data").getPath()),
            frameworkProperty("tether.home").value(new File(dir, "home").getPath()),
            systemProperty("tether.data.dir").value(new File(dir, "data").getPath()),
            systemProperty("tether.home").value(new File(dir, "home").getPath()),
            systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
            systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
            logging(),
            composite(frameworkBundles()),
            composite(httpAndRest()),
            composite(libraries()),
            bundle(reactorBundle("tether.bundle.api")),
            bundle(reactorBundle("tether.bundle.pool")),
            junitBundles(),
        };
    }

    /** slf4j 2 with slf4j-simple through SPI Fly, started before anything logs. */
    private static Option logging() {
        return composite(
            mavenBundle("org.ow2.asm", "asm").versionAsInProject().startLevel(1),
            mavenBundle("org.ow2.asm", "asm-commons").versionAsInProject().startLevel(1),
            mavenBundle("org.ow2.asm", "asm-tree").versionAsInProject().startLevel(1),
            mavenBundle("org.ow2.asm", "asm-analysis").versionAsInProject().startLevel(1),
            mavenBundle("org.ow2.asm", "asm-util").versionAsInProject().startLevel(1),
            mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle").versionAsInProject()
                .startLevel(1),
            mavenBundle("org.slf4j", "slf4j-api").versionAsInProject().startLevel(1),
            mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject().startLevel(1));
    }

    private static Option[] frameworkBundles() {
        return new Option[] {
            mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
            mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
            mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
        };
    }

    private static Option[] httpAndRest() {
        return new Option[] {
            mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.http.wrappers").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.http.jetty12").versionAsInProject(),
            mavenBundle("commons-fileupload", "commons-fileupload").versionAsInProject(),
            mavenBundle("commons-io", "commons-io").versionAsInProject(),
            mavenBundle("org.apache.geronimo.specs", "geronimo-jaxrs_2.1_spec").versionAsInProject(),
            mavenBundle("org.osgi", "org.osgi.service.jaxrs").versionAsInProject(),
            mavenBundle("jakarta.annotation", "jakarta.annotation-api").versionAsInProject(),
            mavenBundle("jakarta.activation", "jakarta.activation-api").versionAsInProject(),
            mavenBundle("jakarta.xml.bind", "jakarta.xml.bind-api").versionAsInProject(),
            mavenBundle("com.sun.xml.bind", "jaxb-osgi").versionAsInProject(),
            mavenBundle("org.codehaus.woodstox", "stax2-api").versionAsInProject(),
            mavenBundle("com.fasterxml.woodstox", "woodstox-core").versionAsInProject(),
            mavenBundle("org.apache.ws.xmlschema", "xmlschema-core").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-core").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-rt-frontend-jaxrs").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-rt-rs-client").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-rt-rs-sse").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-rt-security").versionAsInProject(),
            mavenBundle("org.apache.cxf", "cxf-rt-transports-http").versionAsInProject(),
            mavenBundle("org.apache.aries.component-dsl", "org.apache.aries.component-dsl.component-dsl")
                .versionAsInProject(),
            mavenBundle("org.apache.aries.jax.rs", "org.apache.aries.jax.rs.whiteboard").versionAsInProject(),
            mavenBundle("org.apache.aries.jax.rs", "org.apache.aries.jax.rs.jackson").versionAsInProject(),
        };
    }

    private static Option[] libraries() {
        return new Option[] {
            mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.module", "jackson-module-jaxb-annotations").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.jaxrs", "jackson-jaxrs-base").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.jaxrs", "jackson-jaxrs-json-provider").versionAsInProject(),
            mavenBundle("org.yaml", "snakeyaml").versionAsInProject(),
            mavenBundle("com.fasterxml.jackson.dataformat", "jackson-dataformat-yaml").versionAsInProject(),
            mavenBundle("com.google.code.findbugs", "jsr305").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-model").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-config").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-tracer-common").versionAsInProject(),
            // metrics-core imports it optionally but needs it on every Gauge.set (exemplars)
            mavenBundle("io.prometheus", "prometheus-metrics-tracer-otel").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-tracer-otel-agent").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-tracer-initializer").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-core").versionAsInProject(),
            mavenBundle("io.prometheus", "prometheus-metrics-exposition-textformats").versionAsInProject(),
        };
    }

    private static String reactorBundle(String property) {
        return new File(required(property)).toURI().toString();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run through failsafe");
        }
        return value;
    }

    private static void deleteTree(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child);
            }
        }
        file.delete();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
