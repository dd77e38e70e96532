package io.tether.launcher;

import java.util.Collection;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Keeps bundles named in {@value #PROPERTY} (comma-separated symbolic names) out of sight of SPI Fly, the
 * ServiceLoader mediator. A bundle that declares it may call {@code ServiceLoader.load} has every class it loads
 * parsed by SPI Fly's weaving hook; for the HTTP server bundle that is some 700 classes, a sixth of a start, for
 * lookups of HTTP/2 and ALPN plugins this runtime does not have (Jetty's HTTP/1.1 encoders are built in). A bundle
 * that offers ServiceLoader providers has them loaded and registered as services by SPI Fly at its start; Woodstox
 * offers StAX factories that nothing here looks up that way (CXF creates Woodstox's factories itself).
 * Bundle hooks are the framework's way to do this: SPI Fly's bundle tracker neither finds those bundles nor hears
 * of them, so it never weaves them; nothing else changes for them.
 */
final class ServiceLoaderScope implements FindHook, EventHook {
    static final String PROPERTY = "tether.serviceloader.skip";
    static final String MEDIATOR = "org.apache.aries.spifly.dynamic.bundle";

    private final Set<String> hidden;

    private ServiceLoaderScope(Set<String> hidden) {
        this.hidden = hidden;
    }

    static void install(BundleContext context, String names) {
        Set<String> hidden = Set.of(names.trim().split("\\s*,\\s*"));
        ServiceLoaderScope scope = new ServiceLoaderScope(hidden);
        context.registerService(new String[] {FindHook.class.getName(), EventHook.class.getName()}, scope, null);
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        if (isMediator(context)) {
            bundles.removeIf(b -> hidden.contains(b.getSymbolicName()));
        }
    }

    @Override
    public void event(BundleEvent event, Collection<BundleContext> contexts) {
        if (hidden.contains(event.getBundle().getSymbolicName())) {
            contexts.removeIf(ServiceLoaderScope::isMediator);
        }
    }

    private static boolean isMediator(BundleContext context) {
        try {
            return MEDIATOR.equals(context.getBundle().getSymbolicName());
        } catch (IllegalStateException stopped) {
            return false;
        }
    }
}
