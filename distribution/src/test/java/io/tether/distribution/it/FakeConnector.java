package io.tether.distribution.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

import io.tether.distribution.it.fake.FakeConnectorFactory;

/**
 * The fake connector bundle of type {@code fake}: a jar written at run time from the classes of package
 * {@code io.tether.distribution.it.fake} with a hand-written manifest, and the control map those classes read
 * (registered here as a {@code java.util.Map} service, so it survives reinstalls of the bundle).
 */
public final class FakeConnector implements AutoCloseable {

    public static final String TYPE = FakeConnectorFactory.TYPE;
    public static final String LOCATION = "tether-it:fake-connector";
    private static final String PACKAGE_PATH = "io/tether/distribution/it/fake/";
    private static final String[] CLASSES = { "FakeActivator", "FakeConnectorFactory", "FakeConnection" };

    private final BundleContext context;
    private final Map<String, Object> control = new ConcurrentHashMap<>();
    private final ServiceRegistration<?> registration;
    private Bundle bundle;

    public FakeConnector(BundleContext context) {
        this.context = context;
        control.put(FakeConnectorFactory.FAIL_DIALS, new AtomicBoolean());
        control.put(FakeConnectorFactory.CREATED, new AtomicInteger());
        control.put(FakeConnectorFactory.OPENED, new AtomicInteger());
        control.put(FakeConnectorFactory.CLOSED, new AtomicInteger());
        control.put(FakeConnectorFactory.LAST_PROPS, new AtomicReference<Object>(Map.of()));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(FakeConnectorFactory.CONTROL_PROPERTY, "true");
        registration = context.registerService(Map.class.getName(), control, props);
    }

    /** Installs and starts the bundle (again, if it was uninstalled). */
    public Bundle install() {
        try {
            bundle = context.installBundle(LOCATION, new ByteArrayInputStream(jar()));
            bundle.start();
            return bundle;
        } catch (BundleException e) {
            throw new IllegalStateException("cannot install the fake connector", e);
        }
    }

    public void stop() throws BundleException {
        bundle.stop();
    }

    public void start() throws BundleException {
        bundle.start();
    }

    public void uninstall() throws BundleException {
        if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
            bundle.uninstall();
        }
        bundle = null;
    }

    public boolean installed() {
        return bundle != null && bundle.getState() != Bundle.UNINSTALLED;
    }

    public void failDials(boolean fail) {
        ((AtomicBoolean) control.get(FakeConnectorFactory.FAIL_DIALS)).set(fail);
    }

    public int created() {
        return count(FakeConnectorFactory.CREATED);
    }

    public int opened() {
        return count(FakeConnectorFactory.OPENED);
    }

    public int closed() {
        return count(FakeConnectorFactory.CLOSED);
    }

    /** The props of the last connection instance created, as the connector got them (secrets in clear). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> lastProps() {
        return (Map<String, Object>) ((AtomicReference<Object>) control.get(FakeConnectorFactory.LAST_PROPS)).get();
    }

    private int count(String counter) {
        return ((AtomicInteger) control.get(counter)).get();
    }

    @Override
    public void close() throws BundleException {
        uninstall();
        registration.unregister();
    }

    /** The bundle: the fake package's classes and a manifest importing only the API and the framework. */
    static byte[] jar() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "tether.it.fake");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", "io.tether.distribution.it.fake.FakeActivator");
        main.putValue("Import-Package",
                "io.tether.api.connection;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        main.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (String name : CLASSES) {
                String path = PACKAGE_PATH + name + ".class";
                try (InputStream in = FakeConnector.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalStateException("class file not found: " + path);
                    }
                    jar.putNextEntry(new JarEntry(path));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
