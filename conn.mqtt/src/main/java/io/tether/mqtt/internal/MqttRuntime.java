package io.tether.mqtt.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tether.api.kit.ConnectionScopes;
import io.tether.lib.mqtt.ClientIds;
import io.tether.lib.mqtt.ClientThreads;

/**
 * What the bundle's factory, sources and sinks share: the scopes of connection ids, the client ids in use and the
 * clients' threads. Stopping the bundle stops the threads.
 */
@Component(service = MqttRuntime.class)
public final class MqttRuntime {
    /** This bundle, null outside a framework. */
    private static final Bundle BUNDLE = FrameworkUtil.getBundle(MqttRuntime.class);
    private final ClientThreads threads = new ClientThreads("mqtt");
    private final ClientIds clientIds = new ClientIds();
    private final ConnectionScopes<ConnectionScope> scopes = new ConnectionScopes<>(id -> new ConnectionScope());

    ClientThreads threads() {
        return threads;
    }

    ClientIds clientIds() {
        return clientIds;
    }

    /** The scopes of connection ids, held by their connection instances and the sources attached to them. */
    ConnectionScopes<ConnectionScope> scopes() {
        return scopes;
    }

    /**
     * Whether this bundle is active, or runs outside a framework: not while it stops, when consumers leave only
     * because the bundle goes (see {@link io.tether.lib.mqtt.Subscriptions}).
     */
    static boolean bundleActive() {
        return BUNDLE == null || BUNDLE.getState() == Bundle.ACTIVE;
    }

    @Deactivate
    public void stop() {
        threads.close();
    }
}
