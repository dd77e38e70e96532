package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.rule.internal.store.SourceStateStore;

/**
 * The one source of a SHARED stream: opened when the first rule using the stream starts, closed when the last one
 * stops; everything it hands on goes to every rule, and every rule sees its connection status. It attaches to the
 * pool under the reference id {@code stream:<name>}, and keeps its state under that id too.
 * <p>
 * A record is handed to the rules one after the other, each waiting for room in its buffer as it chose: one slow
 * rule holds the source, and so the others, back (SPEC §7). A rule that must not be held back by the others reads
 * through a stream of its own (a connection of its own).
 */
final class SharedSource implements SourceContext {
    private final String streamName;
    private final ConnectionPool pool;
    private final Supplier<Source> factory;
    private final SourceStateStore states;
    private final Runnable whenUnused;
    private final List<SourceContext> subscribers = new CopyOnWriteArrayList<>();
    private Source source;
    private String lastConnectionId;
    private ConnectionStatus lastStatus;

    /** @param whenUnused called once the last subscriber left and the source is closed */
    SharedSource(String streamName, ConnectionPool pool, Supplier<Source> factory, SourceStateStore states,
            Runnable whenUnused) {
        this.streamName = streamName;
        this.pool = pool;
        this.factory = factory;
        this.states = states;
        this.whenUnused = whenUnused;
    }

    /** A rule's view: a source whose open subscribes the rule and whose close unsubscribes it. */
    Source subscription() {
        return new Source() {
            private SourceContext subscriber;

            @Override
            public void open(SourceContext context) throws Exception {
                subscribe(context);
                subscriber = context;
            }

            @Override
            public void close() {
                if (subscriber != null) {
                    unsubscribe(subscriber);
                }
            }
        };
    }

    private synchronized void subscribe(SourceContext subscriber) throws Exception {
        subscribers.add(subscriber);
        if (source == null) {
            Source opened = factory.get();
            try {
                opened.open(this);
            } catch (Exception e) {
                subscribers.remove(subscriber);
                opened.close();
                if (subscribers.isEmpty()) {
                    whenUnused.run();
                }
                throw e;
            }
            source = opened;
        } else if (lastStatus != null) {
            subscriber.connectionStatusListener().statusChanged(lastConnectionId, lastStatus);
        }
    }

    private synchronized void unsubscribe(SourceContext subscriber) {
        if (subscribers.remove(subscriber) && subscribers.isEmpty() && source != null) {
            source.close();
            source = null;
            whenUnused.run();
        }
    }

    @Override
    public String ruleId() {
        return "stream:" + streamName;
    }

    @Override
    public String operatorId() {
        return "source_" + streamName;
    }

    @Override
    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return (connectionId, status) -> {
            synchronized (this) {
                lastConnectionId = connectionId;
                lastStatus = status;
            }
            subscribers.forEach(s -> s.connectionStatusListener().statusChanged(connectionId, status));
        };
    }

    @Override
    public void emit(RawMessage message) {
        for (SourceContext subscriber : subscribers) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            subscriber.emit(message);
        }
    }

    @Override
    public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        for (SourceContext subscriber : subscribers) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            subscriber.emitRecord(record, meta);
        }
    }

    @Override
    public Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException {
        return offerToAll(maxWait, (subscriber, left) -> subscriber.offer(message, left));
    }

    @Override
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
            throws InterruptedException {
        return offerToAll(maxWait, (subscriber, left) -> subscriber.offerRecord(record, meta, left));
    }

    /**
     * Holds room in every rule within one overall {@code maxWait}: held when every rule still running has room,
     * nothing held when any had none.
     */
    @Override
    public Reservation reserve(Duration maxWait) throws InterruptedException {
        long maxWaitNanos = RecordQueue.nanos(maxWait);
        long start = System.nanoTime();
        List<Reservation> held = new ArrayList<>();
        try {
            for (SourceContext subscriber : subscribers) {
                long left = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                        : Math.max(0, maxWaitNanos - (System.nanoTime() - start));
                Reservation reservation = subscriber.reserve(Duration.ofNanos(left));
                if (reservation.acceptance() == Acceptance.DROPPED) {
                    held.forEach(Reservation::release);
                    return reservation;
                }
                if (reservation.acceptance() == Acceptance.ACCEPTED) {
                    held.add(reservation);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            held.forEach(Reservation::release);
            throw e;
        }
        return held.isEmpty() ? Reservations.NOT_HELD_CLOSED : Reservations.all(held);
    }

    private interface Offer {
        Acceptance to(SourceContext subscriber, Duration maxWait) throws InterruptedException;
    }

    /**
     * Offers to every rule within one overall {@code maxWait}: the rules served after a slow one get what is left
     * of it. Accepted once every rule still running accepted; dropped when any dropped.
     */
    private Acceptance offerToAll(Duration maxWait, Offer offer) throws InterruptedException {
        long maxWaitNanos = RecordQueue.nanos(maxWait);
        long start = System.nanoTime();
        Acceptance result = Acceptance.CLOSED;
        for (SourceContext subscriber : subscribers) {
            long left = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                    : Math.max(0, maxWaitNanos - (System.nanoTime() - start));
            result = worse(result, offer.to(subscriber, Duration.ofNanos(left)));
        }
        return result;
    }

    /** Accepted by one rule and closed for another is accepted; dropped by any rule is dropped. */
    private static Acceptance worse(Acceptance a, Acceptance b) {
        if (a == Acceptance.DROPPED || b == Acceptance.DROPPED) {
            return Acceptance.DROPPED;
        }
        return a == Acceptance.ACCEPTED || b == Acceptance.ACCEPTED ? Acceptance.ACCEPTED : Acceptance.CLOSED;
    }

    @Override
    public void reportError(Throwable error) {
        subscribers.forEach(subscriber -> subscriber.reportError(error));
    }

    @Override
    public Map<String, Object> state() {
        return states.get(ruleId());
    }

    @Override
    public void saveState(Map<String, Object> state) {
        try {
            states.put(ruleId(), Collections.unmodifiableMap(new LinkedHashMap<>(state)));
        } catch (IOException e) {
            reportError(new IOException("cannot save the source state: " + e.getMessage(), e));
        }
    }
}
