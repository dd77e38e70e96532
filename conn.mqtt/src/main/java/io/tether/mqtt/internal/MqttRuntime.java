package io.tether.mqtt.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tether.api.kit.ConnectionScopes;

/**
 * What the bundle's factory, sources and sinks share: the scopes of connection ids, the client ids in use, one
 * scheduler for every client's keep-alive checks, and the threads that hand arriving messages to subscribers (one
 * only while a connection has messages to hand on, none per idle connection). Stopping the bundle stops both.
 */
@Component(service = MqttRuntime.class)
public final class MqttRuntime {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final AtomicInteger DISPATCH_THREADS = new AtomicInteger();
    /** How long an idle dispatch thread is kept for the next burst. */
    private static final long DISPATCH_IDLE_SECONDS = 10;

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService dispatchThreads;
    private final ClientIds clientIds = new ClientIds();
    private final ConnectionScopes<ConnectionScope> scopes = new ConnectionScopes<>(id -> new ConnectionScope());

    public MqttRuntime() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "tether-mqtt-keepalive-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        dispatchThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, DISPATCH_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "tether-mqtt-dispatch-" + DISPATCH_THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Runs the connections' dispatchers: a thread per connection with messages to hand on, created on demand. */
    Executor dispatchThreads() {
        return dispatchThreads;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
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
        scheduler.shutdownNow();
        dispatchThreads.shutdownNow();
    }
}
