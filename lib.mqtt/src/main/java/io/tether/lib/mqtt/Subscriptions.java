package io.tether.lib.mqtt;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.tether.api.connection.ConnectionException;
import io.tether.api.io.RawMessage;

/**
 * The topic filters that consumers subscribed through one connection id, and the routing of arriving messages to
 * them (SPEC §7). It outlives the connection's client sessions and its instances (an update replaces the instance),
 * so that every session, whichever instance opens it, restores every filter before the connection reports
 * {@code connected}. Each distinct filter is one route with the QoS of its first subscriber; the wire carries
 * {@link TopicFilters#wireSubscriptions non-overlapping} filters, so each message arrives once and is handed to every
 * subscriber whose filter matches it.
 * <p>
 * A session that persists on the broker ({@code cleanSession} false) gets the messages queued for it as soon as it
 * connects, before the consumers of a runtime that is starting, or of a connector bundle that was just updated, have
 * subscribed again. Such a message, one the broker waits to have acknowledged, is therefore not acknowledged to a void:
 * {@link #deliverAcknowledged} holds it for a subscriber during the session's first {@link #SUBSCRIBER_GRACE}, and
 * not at all while the bundle that owns the subscriptions is stopping (the broker sends it again to the next session).
 * For the same reason consumers that leave while their bundle stops do not unsubscribe on the broker.
 */
public final class Subscriptions {
    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());
    /** How long after a session started a message no consumer subscribes to waits for one. */
    public static final Duration SUBSCRIBER_GRACE = Duration.ofSeconds(10);
    /** How often a message waiting for a subscriber checks whether the owning bundle is stopping. */
    private static final long RECHECK_MILLIS = 100;

    /**
     * A consumer of the messages of one topic filter. Called on the connection's dispatch thread, in arrival order:
     * while it works, the connection's later messages wait.
     */
    public interface Subscriber {
        /**
         * Hands a message on; the message is acknowledged to the broker once every subscriber it goes to returned.
         *
         * @throws InterruptedException when the connection stops meanwhile: the message is not acknowledged
         */
        void message(RawMessage message) throws InterruptedException;

        /** A message was dropped before it could be handed on: too many (QoS 0) messages wait on the connection. */
        void dropped(RawMessage message, String reason);

        /** The broker refused the subscription of the filter. */
        void refused(String filter);
    }

    private record Route(String filter, int qos, List<Subscriber> subscribers) {
    }

    private final Object lock = new Object();
    private final BooleanSupplier ownerActive;
    private final long graceNanos;
    /** Guarded by lock. */
    private final Map<String, Route> routes = new LinkedHashMap<>();
    /** Guarded by lock: the live session's client, or null. */
    private BrokerClient session;
    /** Guarded by lock: what the live session has subscribed. */
    private Map<String, Integer> wire = Map.of();
    /** Guarded by lock: until when ({@link System#nanoTime()}) the live session's messages wait for subscribers. */
    private long graceUntil;
    /** The routes, read without locking for every message. */
    private volatile List<Route> routing = List.of();

    /** Subscriptions of a connector that is always active (outside a framework, in tests). */
    public Subscriptions() {
        this(() -> true);
    }

    /**
     * @param ownerActive whether the bundle that owns these subscriptions is active: while it stops, consumers that
     *                    leave do not unsubscribe on the broker and messages no one subscribes to are not acknowledged
     * @since 1.2
     */
    public Subscriptions(BooleanSupplier ownerActive) {
        this(ownerActive, SUBSCRIBER_GRACE);
    }

    Subscriptions(BooleanSupplier ownerActive, Duration grace) {
        this.ownerActive = ownerActive;
        this.graceNanos = grace.toNanos();
    }

    /**
     * Adds a subscriber of a filter: at once on the live session when the filter is new, else at the next dial.
     *
     * @return what removes the subscriber again (the last one of a filter unsubscribes it)
     */
    public Runnable add(String filter, int qos, Subscriber subscriber) {
        synchronized (lock) {
            routes.computeIfAbsent(filter, f -> new Route(f, qos, new CopyOnWriteArrayList<>()))
                    .subscribers().add(subscriber);
            routesChanged();
            lock.notifyAll();
        }
        return () -> remove(filter, subscriber);
    }

    private void remove(String filter, Subscriber subscriber) {
        synchronized (lock) {
            Route route = routes.get(filter);
            if (route == null || !route.subscribers().remove(subscriber)) {
                return;
            }
            if (route.subscribers().isEmpty()) {
                routes.remove(filter);
            }
            routesChanged();
        }
    }

    /** Under lock: brings the live session's subscriptions in line with the routes, subscribing before unsubscribing. */
    private void routesChanged() {
        routing = List.copyOf(routes.values());
        if (session == null) {
            return;
        }
        Map<String, Integer> next = wanted();
        Map<String, Integer> added = new LinkedHashMap<>(next);
        added.entrySet().removeIf(entry -> entry.getValue().equals(wire.get(entry.getKey())));
        List<String> removed = wire.keySet().stream().filter(filter -> !next.containsKey(filter)).toList();
        session.subscribe(added).thenAccept(this::refused);
        if (ownerActive.getAsBoolean()) {
            session.unsubscribeLater(removed);
        }
        wire = next;
    }

    private Map<String, Integer> wanted() {
        Map<String, Integer> filters = new LinkedHashMap<>();
        routes.values().forEach(route -> filters.put(route.filter(), route.qos()));
        return TopicFilters.wireSubscriptions(filters);
    }

    /**
     * A client session is up: subscribes every filter and waits for SUBACK. Filters added meanwhile go on this session
     * too.
     */
    public void sessionStarted(BrokerClient client, Duration timeout) throws ConnectionException {
        CompletableFuture<List<String>> restored;
        synchronized (lock) {
            session = client;
            wire = wanted();
            graceUntil = System.nanoTime() + graceNanos;
            restored = client.subscribe(wire);
        }
        try {
            refused(restored.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw ConnectionException.io("no SUBACK within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw ConnectionException.io("subscribing failed: " + Failures.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ConnectionException.io("interrupted while subscribing", e);
        }
    }

    /** The client's session is over (link lost, failed dial, close); a session of another client is not touched. */
    public void sessionEnded(BrokerClient client) {
        synchronized (lock) {
            if (session == client) {
                session = null;
                wire = Map.of();
            }
        }
    }

    /** Hands a message to every subscriber whose filter matches its topic, one after the other. */
    public void route(String topic, byte[] payload, Map<String, Object> meta) throws InterruptedException {
        routed(topic, payload, meta);
    }

    /**
     * Hands a message that {@code from} will acknowledge to the broker (QoS 1 or 2) to every subscriber whose filter
     * matches its topic. When none does, the message waits for one: until {@link #SUBSCRIBER_GRACE} after
     * {@code from}'s session started (or after this call, while that session has not reported its start yet).
     *
     * @return whether to acknowledge the message: true once subscribers took it, or when none came in time (it is
     *         dropped, as a message no consumer subscribes to); false while the owning bundle stops (the broker sends
     *         it again to the next session)
     * @throws InterruptedException when the connection stops meanwhile: the message is not acknowledged
     * @since 1.2
     */
    public boolean deliverAcknowledged(BrokerClient from, String topic, byte[] payload, Map<String, Object> meta)
            throws InterruptedException {
        if (routed(topic, payload, meta)) {
            return true;
        }
        synchronized (lock) {
            long waitUntil = session == from ? graceUntil : System.nanoTime() + graceNanos;
            while (!subscribed(topic)) {
                if (!ownerActive.getAsBoolean()) {
                    return false;
                }
                long left = waitUntil - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.DEBUG, "No consumer subscribes to " + topic + ": a message was dropped");
                    return true;
                }
                lock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), RECHECK_MILLIS)));
            }
        }
        routed(topic, payload, meta);
        return true;
    }

    private boolean subscribed(String topic) {
        return routing.stream().anyMatch(route -> TopicFilters.matches(route.filter(), topic));
    }

    /** @return whether any subscriber's filter matched */
    private boolean routed(String topic, byte[] payload, Map<String, Object> meta) throws InterruptedException {
        RawMessage message = null;
        for (Route route : routing) {
            if (TopicFilters.matches(route.filter(), topic)) {
                if (message == null) {
                    message = new RawMessage(payload, meta);
                }
                for (Subscriber subscriber : route.subscribers()) {
                    try {
                        subscriber.message(message);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "A subscriber of " + route.filter() + " failed on a message", e);
                    }
                }
            }
        }
        return message != null;
    }

    /** Tells every subscriber whose filter matches the topic that a message was dropped, and why. */
    public void dropped(String topic, byte[] payload, Map<String, Object> meta, String reason) {
        RawMessage message = null;
        for (Route route : routing) {
            if (TopicFilters.matches(route.filter(), topic)) {
                if (message == null) {
                    message = new RawMessage(payload, meta);
                }
                for (Subscriber subscriber : route.subscribers()) {
                    try {
                        subscriber.dropped(message, reason);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "A subscriber of " + route.filter() + " failed on a drop", e);
                    }
                }
            }
        }
    }

    /** The wire filters currently subscribed by the live session (for tests and diagnostics). */
    public Map<String, Integer> wireFilters() {
        synchronized (lock) {
            return Map.copyOf(wire);
        }
    }

    private void refused(List<String> wireFilters) {
        if (wireFilters.isEmpty()) {
            return;
        }
        LOG.log(Level.WARNING, "The broker refused the subscription of " + wireFilters);
        for (Route route : routing) {
            if (wireFilters.stream().anyMatch(refused -> TopicFilters.overlap(refused, route.filter()))) {
                route.subscribers().forEach(subscriber -> subscriber.refused(route.filter()));
            }
        }
    }
}
