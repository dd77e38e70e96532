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

import io.tether.api.connection.ConnectionException;
import io.tether.api.io.RawMessage;

/**
 * The topic filters that consumers subscribed through one connection id, and the routing of arriving messages to
 * them (SPEC §7). It outlives the connection's client sessions and its instances (an update replaces the instance),
 * so that every session, whichever instance opens it, restores every filter before the connection reports
 * {@code connected}. Each distinct filter is one route with the QoS of its first subscriber; the wire carries
 * {@link TopicFilters#wireSubscriptions non-overlapping} filters, so each message arrives once and is handed to every
 * subscriber whose filter matches it.
 */
public final class Subscriptions {
    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());

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
    /** Guarded by lock. */
    private final Map<String, Route> routes = new LinkedHashMap<>();
    /** Guarded by lock: the live session's client, or null. */
    private BrokerClient session;
    /** Guarded by lock: what the live session has subscribed. */
    private Map<String, Integer> wire = Map.of();
    /** The routes, read without locking for every message. */
    private volatile List<Route> routing = List.of();

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
        session.unsubscribeLater(removed);
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
