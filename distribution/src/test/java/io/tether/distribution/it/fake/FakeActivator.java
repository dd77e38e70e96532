package io.tether.distribution.it.fake;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.tether.api.connection.ConnectorFactory;

/**
 * Activator of the fake connector bundle that the tests build at run time (see
 * {@code io.tether.distribution.it.FakeConnector}). Only this package goes into that bundle: it imports nothing but
 * {@code io.tether.api.connection} and {@code org.osgi.framework}.
 */
public final class FakeActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ConnectorFactory.TYPE_PROPERTY, FakeConnectorFactory.TYPE);
        context.registerService(ConnectorFactory.class, new FakeConnectorFactory(context), props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the factory
    }
}
