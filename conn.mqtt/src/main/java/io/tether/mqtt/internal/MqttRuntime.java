package io.tether.mqtt.internal;

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

    @Deactivate
    public void stop() {
        threads.close();
    }
}
