package io.tether.launcher;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Shows SPI Fly, the ServiceLoader mediator, only the bundles that ask for it. SPI Fly looks at every bundle as it
 * comes and goes (its headers, its {@code META-INF/services}), and parses every class a consumer bundle loads. Bundle
 * hooks are the framework's way to narrow that: SPI Fly's trackers neither find nor hear of the hidden bundles, so it
 * never processes them; nothing else changes for them. Hidden are
 * <ul>
 * <li>bundles that declare no ServiceLoader use (no {@code SPI-Consumer} or {@code SPI-Provider} header, no
 * {@code osgi.serviceloader} requirement or capability), unless SPI Fly is told to pick bundles itself (its
 * {@code org.apache.aries.spifly.auto.*} properties);</li>
 * <li>the bundles named in {@value #PROPERTY} (comma-separated symbolic names), which declare a use this runtime does
 * not need: the HTTP server's some 700 classes would each be parsed, a sixth of a start, for lookups of HTTP/2 and
 * ALPN plugins that are not here (Jetty's HTTP/1.1 encoders are built in); Woodstox offers StAX factories that
 * nothing looks up that way (CXF creates Woodstox's factories itself).</li>
 * </ul>
 */
final class ServiceLoaderScope implements FindHook, EventHook {
    static final String PROPERTY = "tether.serviceloader.skip";
    static final String MEDIATOR = "org.apache.aries.spifly.dynamic.bundle";
    private static final Set<String> AUTO_PROPERTIES = Set.of("org.apache.aries.spifly.auto.consumers",
            "org.apache.aries.spifly.auto.providers");

    /**
     * Whether a bundle, as last modified then, declares ServiceLoader use. Not a record: the first use of a record's
     * generated {@code equals} and {@code hashCode} costs a start several milliseconds, and this is asked on every
     * bundle event.
     */
    private static final class Declaration {
        final long lastModified;
        final boolean declares;

        Declaration(long lastModified, boolean declares) {
            this.lastModified = lastModified;
            this.declares = declares;
        }
    }

    private final Set<String> skipped;
    private final boolean hideUndeclared;
    private final Map<Long, Declaration> declarations = new ConcurrentHashMap<>();

    ServiceLoaderScope(Set<String> skipped, boolean hideUndeclared) {
        this.skipped = skipped;
        this.hideUndeclared = hideUndeclared;
    }

    static void install(BundleContext context) {
        String names = context.getProperty(PROPERTY);
        Set<String> skipped = names == null || names.isBlank() ? Set.of() : Set.of(names.trim().split("\\s*,\\s*"));
        boolean hideUndeclared = AUTO_PROPERTIES.stream().allMatch(p -> context.getProperty(p) == null);
        context.registerService(new String[] {FindHook.class.getName(), EventHook.class.getName()},
                new ServiceLoaderScope(skipped, hideUndeclared), null);
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        if (isMediator(context)) {
            bundles.removeIf(this::hidden);
        }
    }

    @Override
    public void event(BundleEvent event, Collection<BundleContext> contexts) {
        for (Iterator<BundleContext> it = contexts.iterator(); it.hasNext(); ) {
            if (isMediator(it.next())) {
                if (hidden(event.getBundle())) {
                    it.remove();
                }
                return;
            }
        }
    }

    private boolean hidden(Bundle bundle) {
        if (bundle.getBundleId() == 0 || MEDIATOR.equals(bundle.getSymbolicName())) {
            return false;
        }
        if (skipped.contains(bundle.getSymbolicName())) {
            return true;
        }
        if (!hideUndeclared) {
            return false;
        }
        long lastModified = bundle.getLastModified();
        Declaration declaration = declarations.get(bundle.getBundleId());
        if (declaration == null || declaration.lastModified != lastModified) {
            declaration = new Declaration(lastModified, declaresServiceLoaderUse(bundle.getHeaders("")));
            declarations.put(bundle.getBundleId(), declaration);
        }
        return !declaration.declares;
    }

    static boolean declaresServiceLoaderUse(Dictionary<String, String> headers) {
        if (headers.get("SPI-Consumer") != null || headers.get("SPI-Provider") != null) {
            return true;
        }
        return mentionsServiceLoader(headers.get(Constants.REQUIRE_CAPABILITY))
                || mentionsServiceLoader(headers.get(Constants.PROVIDE_CAPABILITY));
    }

    private static boolean mentionsServiceLoader(String header) {
        return header != null && header.contains("osgi.serviceloader");
    }

    private static boolean isMediator(BundleContext context) {
        try {
            return MEDIATOR.equals(context.getBundle().getSymbolicName());
        } catch (IllegalStateException stopped) {
            return false;
        }
    }
}
