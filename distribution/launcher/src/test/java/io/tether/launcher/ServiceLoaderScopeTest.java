package io.tether.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;

class ServiceLoaderScopeTest {
    private final Bundle jetty = bundle(1, "org.apache.felix.http.jetty12", Map.of("Require-Capability",
            "osgi.extender;filter:=\"(osgi.extender=osgi.serviceloader.processor)\";resolution:=optional"));
    private final Bundle slf4j = bundle(2, "slf4j.api", Map.of("Require-Capability",
            "osgi.serviceloader;filter:=\"(osgi.serviceloader=org.slf4j.spi.SLF4JServiceProvider)\""));
    private final Bundle legacyConsumer = bundle(3, "legacy", Map.of("SPI-Consumer", "*"));
    private final Bundle pool = bundle(4, "tether.core.pool", Map.of());
    private final BundleContext mediator = context(bundle(5, ServiceLoaderScope.MEDIATOR, Map.of()));
    private final BundleContext other = context(pool);
    private final ServiceLoaderScope scope = new ServiceLoaderScope(Set.of("org.apache.felix.http.jetty12"), true);

    @Test
    void theMediatorFindsOnlyTheBundlesThatDeclareServiceLoaderUseAndAreNotSkipped() {
        List<Bundle> seenByMediator = new ArrayList<>(List.of(jetty, slf4j, legacyConsumer, pool));
        scope.find(mediator, seenByMediator);
        assertEquals(List.of(slf4j, legacyConsumer), seenByMediator);

        List<Bundle> seenByOther = new ArrayList<>(List.of(jetty, slf4j, legacyConsumer, pool));
        scope.find(other, seenByOther);
        assertEquals(List.of(jetty, slf4j, legacyConsumer, pool), seenByOther);
    }

    @Test
    void theMediatorHearsNothingOfTheHiddenBundles() {
        for (Bundle hidden : List.of(jetty, pool)) {
            List<BundleContext> listeners = new ArrayList<>(List.of(mediator, other));
            scope.event(new BundleEvent(BundleEvent.STARTING, hidden), listeners);
            assertEquals(List.of(other), listeners, hidden.toString());
        }
        List<BundleContext> listeners = new ArrayList<>(List.of(mediator, other));
        scope.event(new BundleEvent(BundleEvent.STARTING, slf4j), listeners);
        assertEquals(List.of(mediator, other), listeners);
    }

    @Test
    void whenSpiFlyPicksBundlesItselfOnlyTheSkippedOnesAreHidden() {
        ServiceLoaderScope auto = new ServiceLoaderScope(Set.of("org.apache.felix.http.jetty12"), false);
        List<Bundle> seenByMediator = new ArrayList<>(List.of(jetty, slf4j, pool));
        auto.find(mediator, seenByMediator);
        assertEquals(List.of(slf4j, pool), seenByMediator);
    }

    private static Bundle bundle(long id, String symbolicName, Map<String, String> headers) {
        return (Bundle) Proxy.newProxyInstance(ServiceLoaderScopeTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName", "toString" -> symbolicName;
                    case "getBundleId" -> id;
                    case "getLastModified" -> 1L;
                    case "getHeaders" -> new Hashtable<>(headers);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private static BundleContext context(Bundle owner) {
        return (BundleContext) Proxy.newProxyInstance(ServiceLoaderScopeTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> owner;
                    case "toString" -> "context of " + owner;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
