package io.tether.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

class ServiceLoaderScopeTest {
    private final Bundle jetty = bundle("org.apache.felix.http.jetty12");
    private final Bundle slf4j = bundle("slf4j.api");
    private final BundleContext mediator = context(bundle(ServiceLoaderScope.MEDIATOR));
    private final BundleContext other = context(bundle("tether.core.pool"));
    private final ServiceLoaderScope scope = scope("org.apache.felix.http.jetty12, com.fasterxml.woodstox.woodstox-core");

    @Test
    void theMediatorDoesNotFindTheSkippedBundlesAndOthersFindAll() {
        List<Bundle> seenByMediator = new ArrayList<>(List.of(jetty, slf4j));
        scope.find(mediator, seenByMediator);
        assertEquals(List.of(slf4j), seenByMediator);

        List<Bundle> seenByOther = new ArrayList<>(List.of(jetty, slf4j));
        scope.find(other, seenByOther);
        assertEquals(List.of(jetty, slf4j), seenByOther);
    }

    @Test
    void theMediatorHearsNothingOfTheSkippedBundles() {
        List<BundleContext> listeners = new ArrayList<>(List.of(mediator, other));
        scope.event(new BundleEvent(BundleEvent.STARTING, jetty), listeners);
        assertEquals(List.of(other), listeners);

        List<BundleContext> allListeners = new ArrayList<>(List.of(mediator, other));
        scope.event(new BundleEvent(BundleEvent.STARTING, slf4j), allListeners);
        assertEquals(List.of(mediator, other), allListeners);
    }

    private static ServiceLoaderScope scope(String names) {
        List<Object> registered = new ArrayList<>();
        BundleContext system = (BundleContext) Proxy.newProxyInstance(ServiceLoaderScopeTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(args[1]);
                    }
                    return null;
                });
        ServiceLoaderScope.install(system, names);
        assertEquals(1, registered.size());
        assertEquals(true, registered.get(0) instanceof FindHook && registered.get(0) instanceof EventHook);
        return (ServiceLoaderScope) registered.get(0);
    }

    private static Bundle bundle(String symbolicName) {
        return (Bundle) Proxy.newProxyInstance(ServiceLoaderScopeTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "toString" -> symbolicName;
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
