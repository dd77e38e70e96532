package io.tether.pool.internal.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionInfo;
import io.tether.pool.internal.registry.PoolObserver;

/**
 * The status event stream behind {@code GET /events}: numbers every status change and removal of every connection,
 * keeps the last {@code replayEvents} for clients that resume, keeps each connection's last event for the snapshot
 * a new client gets, and hands events to the subscribed clients. The pool tells it of a change before readers see
 * the change, with the pool's lock held, so a snapshot is never behind what a client read from the API. Nothing here
 * waits for a client: a client that cannot take an event at once ({@link Subscriber#offer} false) is dropped, so a
 * slow client never holds up the pool. Event ids increase across restarts (the first is the start time in
 * microseconds), so an id from an earlier run is never taken for one of this run.
 */
@Component(service = StatusEventLog.class, configurationPid = EventsConfiguration.PID)
@Designate(ocd = EventsConfiguration.class)
public final class StatusEventLog implements PoolObserver {

    /** A client of the stream. Its methods are called with the log's lock held and must not block. */
    public interface Subscriber {
        /** @return whether the client took the event; false drops the client */
        boolean offer(StatusEvent event);

        /** @return whether the client took a heartbeat; false drops the client */
        boolean heartbeat();

        /** The log has dropped this client (it fell behind or is gone): release it, without blocking. */
        void dropped();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LongSupplier clock;
    private final ArrayDeque<StatusEvent> recent = new ArrayDeque<>();
    private final Map<String, ConnectionEvent> current = new TreeMap<>();
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private int replayEvents;
    private long lastId;
    private long dropped;

    @Activate
    public StatusEventLog(EventsConfiguration config) {
        this(config.replayEvents(), System::currentTimeMillis);
    }

    StatusEventLog(int replayEvents, LongSupplier clock) {
        this.replayEvents = replayEvents;
        this.clock = clock;
        this.lastId = clock.getAsLong() * 1000;
    }

    @Modified
    synchronized void modified(EventsConfiguration config) {
        replayEvents = config.replayEvents();
        trim();
    }

    @Override
    public void statusChanged(ConnectionInfo connection, long generation) {
        ConnectionEvent event = ConnectionEvent.of(connection, generation, clock.getAsLong());
        synchronized (this) {
            current.put(connection.id(), event);
            append(StatusEvent.STATUS, event);
        }
    }

    @Override
    public void removed(ConnectionInfo connection, long generation) {
        ConnectionEvent event = ConnectionEvent.deleted(connection, generation, clock.getAsLong());
        synchronized (this) {
            current.remove(connection.id());
            append(StatusEvent.DELETED, event);
        }
    }

    /**
     * Subscribes a client. It is first given what it missed: the events after {@code lastEventId} when they are all
     * still kept, else (a new client, or one that was away too long) a snapshot of every connection's last event.
     */
    public synchronized void subscribe(String lastEventId, Subscriber subscriber) {
        List<StatusEvent> missed = missedSince(lastEventId);
        if (missed == null) {
            missed = List.of(new StatusEvent(lastId, StatusEvent.SNAPSHOT, json(List.copyOf(current.values()))));
        }
        subscribers.add(subscriber);
        for (StatusEvent event : missed) {
            if (!subscribers.contains(subscriber) || !subscriber.offer(event)) {
                drop(subscriber);
                return;
            }
        }
    }

    /** The client has gone by itself. */
    public synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Sends every client a heartbeat; drops those that cannot take it. */
    public synchronized void heartbeat() {
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            if (subscribers.contains(subscriber) && !subscriber.heartbeat()) {
                drop(subscriber);
            }
        }
    }

    public synchronized int clients() {
        return subscribers.size();
    }

    /** How many clients were dropped for falling behind, since the start. */
    public synchronized long dropped() {
        return dropped;
    }

    /** @return the events after the given id, or {@code null} when they are not all kept (or the id is not ours) */
    private List<StatusEvent> missedSince(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        long seen;
        try {
            seen = Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            return null;
        }
        if (seen == lastId) {
            return List.of();
        }
        if (seen > lastId || recent.isEmpty() || seen < recent.peekFirst().id() - 1) {
            return null;
        }
        List<StatusEvent> missed = new ArrayList<>();
        for (StatusEvent event : recent) {
            if (event.id() > seen) {
                missed.add(event);
            }
        }
        return missed;
    }

    private void append(String name, ConnectionEvent data) {
        StatusEvent event = new StatusEvent(++lastId, name, json(data));
        recent.addLast(event);
        trim();
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            if (subscribers.contains(subscriber) && !subscriber.offer(event)) {
                drop(subscriber);
            }
        }
    }

    private void drop(Subscriber subscriber) {
        if (subscribers.remove(subscriber)) {
            dropped++;
            subscriber.dropped();
        }
    }

    private void trim() {
        while (recent.size() > Math.max(0, replayEvents)) {
            recent.removeFirst();
        }
    }

    private static String json(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a status event", e);
        }
    }
}
