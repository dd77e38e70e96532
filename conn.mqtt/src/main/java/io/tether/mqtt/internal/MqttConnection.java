package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.StatusSink;
import io.tether.api.kit.ConnectionScopes;
import io.tether.lib.mqtt.BrokerClient;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.Dispatcher;
import io.tether.lib.mqtt.MqttClientSettings;
import io.tether.lib.mqtt.PublishFailedException;

/**
 * A live {@code mqtt} connection: one Paho client, dialled (and re-dialled after a lost link) by the pool, shared by
 * the sources and sinks attached to it. Consumers reach it with {@code handle.as(MqttConnection.class)}.
 */
public final class MqttConnection implements Connection {
    private final String connectionId;
    private final MqttClientSettings settings;
    private final String clientId;
    private final StatusSink statusSink;
    /** Bounds the connect and, separately, the wait for SUBACK; the pool bounds the whole dial by it too. */
    private final Duration dialTimeout;
    private final MqttRuntime runtime;
    private final ConnectionScope scope;
    private final ConnectionScopes.Lease<ConnectionScope> scopeLease;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private BrokerClient client;
    private volatile boolean closed;
    /** The client of the live session, null while not connected. */
    private volatile BrokerClient connected;
    private final Dispatcher dispatcher;

    MqttConnection(ConnectionContext context, MqttClientSettings settings, String clientId, MqttRuntime runtime,
            ConnectionScopes.Lease<ConnectionScope> scopeLease) {
        this.connectionId = context.connectionId();
        this.settings = settings;
        this.clientId = clientId;
        this.statusSink = context.statusSink();
        this.dialTimeout = context.dialTimeout();
        this.runtime = runtime;
        this.scope = scopeLease.state();
        this.scopeLease = scopeLease;
        this.dispatcher = new Dispatcher(runtime.threads().dispatchThreads());
    }

    /** Connects (the same client again after a lost link) and restores every subscription before it returns. */
    @Override
    public void dial() throws ConnectionException {
        BrokerClient dialling;
        synchronized (lock) {
            if (closed) {
                throw ConnectionException.permanent("connection " + connectionId + " is closed", null);
            }
            if (client == null) {
                Events events = new Events();
                client = BrokerClient.create(settings, clientId, runtime.threads().scheduler(), events,
                        dialTimeout);
                events.owner = client;
            }
            dialling = client;
        }
        try {
            dialling.connect(dialTimeout);
            scope.subscriptions.sessionStarted(dialling, dialTimeout);
            synchronized (lock) {
                if (closed) {
                    throw ConnectionException.permanent("connection " + connectionId + " is closed", null);
                }
                if (!dialling.isConnected()) {
                    throw ConnectionException.io("connection lost while restoring subscriptions", null);
                }
                connected = dialling;
            }
        } catch (ConnectionException e) {
            scope.subscriptions.sessionEnded(dialling);
            if (e.isRetryable() && dialling.isConnected()) {
                // connected but the subscriptions are not restored: drop the link, the next dial starts over
                dialling.close();
                synchronized (lock) {
                    if (client == dialling) {
                        client = null;
                    }
                }
            }
            throw e;
        }
    }

    @Override
    public void ping() throws ConnectionException {
        if (connected == null) {
            throw ConnectionException.io(PublishFailedException.NOT_CONNECTED, null);
        }
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    @Override
    public void close() {
        BrokerClient closing;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closing = client;
            client = null;
            connected = null;
        }
        // first, so that nothing more is acknowledged: what was not handed on yet is the broker's to send again
        dispatcher.stop();
        if (closing != null) {
            scope.subscriptions.sessionEnded(closing);
            closing.close();
        }
        runtime.clientIds().release(clientId, this);
        scopeLease.close();
    }

    /**
     * Queues a message for the broker. Waits only while the in-flight window is full, at most {@code wait} (the
     * sink's send timeout).
     *
     * @return completes once the broker acknowledged the message (QoS 1 and 2) or it was written (QoS 0); fails with
     *         a {@link io.tether.api.io.DeliveryException} saying whether sending it again may succeed
     * @throws PublishFailedException when the client is not connected ({@value PublishFailedException#NOT_CONNECTED})
     *                                or the window stayed full: nothing was queued
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained, Duration wait)
            throws PublishFailedException {
        BrokerClient live = connected;
        if (live == null) {
            throw PublishFailedException.notConnected();
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        long deadline = 0;
        long pause = TimeUnit.MICROSECONDS.toNanos(50);
        while (!live.publish(topic, payload, qos, retained, outcome)) {
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + wait.toNanos();
            } else if (now - deadline > 0) {
                throw new PublishFailedException("too many publishes in progress: " + settings.maxInflight()
                        + " messages wait for the broker's acknowledgement", true, null);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(5));
            if (connected != live) {
                throw PublishFailedException.notConnected();
            }
        }
        return outcome;
    }

    /** Arrived messages waiting to be handed on (for tests and diagnostics). */
    int dispatchBacklog() {
        return dispatcher.backlog();
    }

    /** One client's reports; dropped once the client is no longer this connection's, or after close. */
    private final class Events implements BrokerListener {
        /** Set before the client connects, so before it can report anything. */
        private volatile BrokerClient owner;

        @Override
        public void messageArrived(String topic, byte[] payload, Map<String, Object> meta, Runnable acknowledge) {
            if (closed) {
                return;
            }
            if (Integer.valueOf(0).equals(meta.get("qos"))) {
                if (!dispatcher.dispatchCapped(() -> scope.subscriptions.route(topic, payload, meta))) {
                    scope.subscriptions.dropped(topic, payload, meta, Dispatcher.CAPPED_BACKLOG
                            + " QoS 0 messages already wait for delivery on connection " + connectionId);
                }
            } else {
                BrokerClient from = owner;
                dispatcher.dispatch(() -> {
                    if (scope.subscriptions.deliverAcknowledged(from, topic, payload, meta)) {
                        acknowledge.run();
                    }
                });
            }
        }

        /** A loss that races the end of a dial is still reported: the pool then fails that dial and dials again. */
        @Override
        public void connectionLost(String reason) {
            synchronized (lock) {
                if (closed || connected != owner) {
                    return;
                }
                connected = null;
            }
            scope.subscriptions.sessionEnded(owner);
            statusSink.disconnected(reason);
        }
    }
}
