package io.tether.rule.internal.runtime;

import io.tether.api.io.Acceptance;
import java.time.Duration;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.rule.internal.store.SourceStateStore;

/**
 * The one source of a SHARED stream: opened when the first rule using the stream starts, closed when the last one
 * stops; everything it hands on goes to every rule, and every rule sees its connection status. It attaches to the
 * pool under the reference id {@code stream:<name>}, and keeps its state under that id too.
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
        subscribers.forEach(subscriber -> subscriber.emit(message));
    }

    @Override
    public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        subscribers.forEach(subscriber -> subscriber.emitRecord(record, meta));
    }

    @Override
    public Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException {
        Acceptance result = Acceptance.CLOSED;
        for (SourceContext subscriber : subscribers) {
            result = worse(result, subscriber.offer(message, maxWait));
        }
        return result;
    }

    @Override
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
            throws InterruptedException {
        Acceptance result = Acceptance.CLOSED;
        for (SourceContext subscriber : subscribers) {
            result = worse(result, subscriber.offerRecord(record, meta, maxWait));
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
