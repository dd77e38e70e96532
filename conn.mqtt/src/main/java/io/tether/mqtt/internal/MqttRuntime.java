package io.tether.mqtt.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * What the bundle's factory, sources and sinks share: the scopes of connection ids, the client ids in use, and one
 * scheduler for every client's keep-alive checks. Stopping the bundle stops the scheduler.
 */
@Component(service = MqttRuntime.class)
public final class MqttRuntime {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor scheduler;
    private final ClientIds clientIds = new ClientIds();
    private final Map<String, ConnectionScope> scopes = new HashMap<>();

    public MqttRuntime() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "tether-mqtt-keepalive-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ClientIds clientIds() {
        return clientIds;
    }

    /** The scope of a connection id, held until {@link #release}d. */
    synchronized ConnectionScope acquire(String connectionId) {
        ConnectionScope scope = scopes.computeIfAbsent(connectionId, ConnectionScope::new);
        scope.users++;
        return scope;
    }

    synchronized void release(ConnectionScope scope) {
        if (--scope.users == 0) {
            scopes.remove(scope.connectionId, scope);
        }
    }

    @Deactivate
    public void stop() {
        scheduler.shutdownNow();
    }
}
