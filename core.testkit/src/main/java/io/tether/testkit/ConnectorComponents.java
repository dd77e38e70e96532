package io.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;

/**
 * A connector bundle's Declarative Services components, created on the plain classpath as the framework would create
 * them: the {@code ConnectorFactory}, {@code SourceProvider} and {@code SinkProvider} of a type, with the components
 * of the same bundle they take in their constructors (a shared runtime). Found through the {@code Service-Component}
 * header of the bundle's manifest, so that a test of another module uses a connector by its type, never by its
 * classes. {@link #close()} deactivates what was created, in reverse order.
 * <p>
 * Supported: constructor injection of unary references to components of the same bundle, or to services of other
 * bundles that the test {@link #withService provides} (the data server), {@code activate} and {@code deactivate}
 * methods without parameters. Dynamic references (such as the SQL connector's drivers) are left
 * unbound: a test binds what it needs itself.
 */
public final class ConnectorComponents implements AutoCloseable {
    private final String typ;
    private final List<Component> components;
    private final Map<Component, Object> instances = new LinkedHashMap<>();
    private final Map<String, Object> external = new LinkedHashMap<>();

    private ConnectorComponents(String typ, List<Component> components) {
        this.typ = typ;
        this.components = components;
    }

    /** The components of the bundle on the class path that provides a {@code ConnectorFactory} of the type. */
    public static ConnectorComponents load(String typ) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            for (URL manifestUrl : Collections.list(manifests)) {
                List<Component> components = components(manifestUrl, loader);
                boolean provides = components.stream().anyMatch(c -> c.provides(ConnectorFactory.class)
                        && typ.equals(c.properties.get(ConnectorFactory.TYPE_PROPERTY)));
                if (provides) {
                    return new ConnectorComponents(typ, components);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no bundle on the class path provides connector type '" + typ + "'");
    }

    /**
     * Binds references to {@code service}, a service of another bundle, to {@code instance}: e.g. the data server
     * ({@link TestDataServer}) for a connector that registers endpoints on it. Call before the first component is
     * created.
     */
    public synchronized <T> ConnectorComponents withService(Class<T> service, T instance) {
        external.put(service.getName(), instance);
        return this;
    }

    public String type() {
        return typ;
    }

    /** The type's connector factory. */
    public ConnectorFactory factory() {
        return service(ConnectorFactory.class);
    }

    /** The type's source provider; fails when the bundle has none. */
    public SourceProvider sourceProvider() {
        return service(SourceProvider.class);
    }

    /** The type's sink provider; fails when the bundle has none. */
    public SinkProvider sinkProvider() {
        return service(SinkProvider.class);
    }

    /** The service properties the component offering {@code service} for the type is registered with. */
    public Map<String, Object> properties(Class<?> service) {
        return Map.copyOf(component(service).properties);
    }

    /** The props schema the factory names ({@link ConnectorFactory#SCHEMA_PROPERTY}), or null. */
    public URL schema() {
        Component factory = component(ConnectorFactory.class);
        Object path = factory.properties.get(ConnectorFactory.SCHEMA_PROPERTY);
        return path == null ? null : factory.base(String.valueOf(path));
    }

    /** Adds the type to the pool, with its schema. */
    public ConnectorComponents installIn(TestPool pool) {
        pool.addType(typ, factory(), schema());
        return this;
    }

    @Override
    public synchronized void close() {
        List<Map.Entry<Component, Object>> created = new ArrayList<>(instances.entrySet());
        Collections.reverse(created);
        instances.clear();
        for (Map.Entry<Component, Object> entry : created) {
            String deactivate = entry.getKey().deactivate;
            if (deactivate != null) {
                invoke(entry.getValue(), deactivate);
            }
        }
    }

    private <T> T service(Class<T> service) {
        return service.cast(instance(component(service)));
    }

    private Component component(Class<?> service) {
        return components.stream()
                .filter(c -> c.provides(service) && typ.equals(c.properties.get(ConnectorFactory.TYPE_PROPERTY)))
                .findFirst().orElseThrow(() -> new IllegalStateException("connector type '" + typ
                        + "' has no " + service.getSimpleName()));
    }

    private synchronized Object instance(Component component) {
        Object existing = instances.get(component);
        if (existing != null) {
            return existing;
        }
        try {
            Class<?> type = Class.forName(component.implementation, true, component.loader);
            Object[] arguments = new Object[component.init];
            for (Reference reference : component.references) {
                if (reference.parameter >= 0) {
                    Object bound = external.get(reference.service);
                    arguments[reference.parameter] = bound != null ? bound : instance(provider(reference.service));
                }
            }
            Constructor<?> constructor = Arrays.stream(type.getDeclaredConstructors())
                    .filter(c -> c.getParameterCount() == component.init).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no constructor of " + component.init
                            + " parameters in " + component.implementation));
            constructor.setAccessible(true);
            Object created = constructor.newInstance(arguments);
            if (component.activate != null) {
                invoke(created, component.activate);
            }
            instances.put(component, created);
            return created;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create component " + component.implementation, e);
        }
    }

    private Component provider(String service) {
        return components.stream().filter(c -> c.services.contains(service)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no component of the bundle provides " + service));
    }

    private static void invoke(Object target, String methodName) {
        try {
            Method method = target.getClass().getDeclaredMethod(methodName);
            method.setAccessible(true);
            method.invoke(target);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(methodName + " of " + target.getClass().getName() + " failed",
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + methodName + " of " + target.getClass().getName(), e);
        }
    }

    private static List<Component> components(URL manifestUrl, ClassLoader loader) throws IOException {
        String header;
        try (InputStream in = manifestUrl.openStream()) {
            header = new Manifest(in).getMainAttributes().getValue("Service-Component");
        }
        List<Component> components = new ArrayList<>();
        if (header == null) {
            return components;
        }
        URL root = new URL(manifestUrl, "../");
        for (String path : header.split(",")) {
            URL descriptor = new URL(root, path.strip());
            try (InputStream in = descriptor.openStream()) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                Element element = factory.newDocumentBuilder().parse(in).getDocumentElement();
                components.add(Component.of(element, root, loader));
            } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
                throw new IllegalStateException("cannot read component descriptor " + descriptor, e);
            }
        }
        return components;
    }

    private record Reference(String service, int parameter) {
    }

    private record Component(String implementation, List<String> services, Map<String, Object> properties,
            List<Reference> references, int init, String activate, String deactivate, URL root,
            ClassLoader loader) {

        static Component of(Element component, URL root, ClassLoader loader) {
            List<String> services = new ArrayList<>();
            children(component, "provide").forEach(provide -> services.add(provide.getAttribute("interface")));
            Map<String, Object> properties = new LinkedHashMap<>();
            children(component, "property").forEach(p -> properties.put(p.getAttribute("name"),
                    p.getAttribute("value")));
            List<Reference> references = new ArrayList<>();
            children(component, "reference").forEach(r -> references.add(new Reference(r.getAttribute("interface"),
                    r.hasAttribute("parameter") ? Integer.parseInt(r.getAttribute("parameter")) : -1)));
            String implementation = children(component, "implementation").get(0).getAttribute("class");
            int init = component.hasAttribute("init") ? Integer.parseInt(component.getAttribute("init")) : 0;
            return new Component(implementation, services, properties, references, init,
                    attribute(component, "activate"), attribute(component, "deactivate"), root, loader);
        }

        boolean provides(Class<?> service) {
            return services.contains(service.getName());
        }

        URL base(String path) {
            try {
                return new URL(root, path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String attribute(Element element, String name) {
            return element.hasAttribute(name) ? element.getAttribute(name) : null;
        }

        private static List<Element> children(Element parent, String localName) {
            NodeList nodes = parent.getElementsByTagNameNS("*", localName);
            List<Element> elements = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                elements.add((Element) nodes.item(i));
            }
            return elements;
        }
    }
}
