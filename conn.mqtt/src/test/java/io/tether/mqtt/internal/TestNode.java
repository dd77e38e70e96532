package io.tether.mqtt.internal;

import io.tether.api.io.Acceptance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Encoder;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SourceContext;

/**
 * The rule layer's side of one source or sink in the tests: records what it is handed and told. As a source it takes
 * every message at once, or, with a capacity, plays a rule's bounded buffer: an offer waits for room as long as it may.
 */
class TestNode implements SourceContext, SinkContext, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ruleId;
    private final String operatorId;
    private final ConnectionPool pool;
    private final boolean bounded;
    final BlockingQueue<RawMessage> received;
    /** The longest waits that offers were given. */
    final Set<Duration> offerWaits = ConcurrentHashMap.newKeySet();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    private final List<Runnable> closers = new ArrayList<>();
    private Sink sink;

    TestNode(String ruleId, String operatorId, ConnectionPool pool) {
        this(ruleId, operatorId, pool, 0);
    }

    /** @param capacity room for messages not taken out of {@link #received} yet; 0: unbounded */
    TestNode(String ruleId, String operatorId, ConnectionPool pool, int capacity) {
        this.ruleId = ruleId;
        this.operatorId = operatorId;
        this.pool = pool;
        this.bounded = capacity > 0;
        this.received = bounded ? new LinkedBlockingQueue<>(capacity) : new LinkedBlockingQueue<>();
    }

    void closeWith(Runnable closer) {
        closers.add(closer);
    }

    void withSink(Sink running) {
        sink = running;
    }

    Sink sink() {
        return sink;
    }

    /** The next message's payload as text, or null when none comes within the time. */
    String next(Duration timeout) throws InterruptedException {
        RawMessage message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return message == null ? null : new String(message.payload(), StandardCharsets.UTF_8);
    }

    /** Payloads received so far, as text, taken out of the queue. */
    List<String> drain() {
        List<RawMessage> messages = new ArrayList<>();
        received.drainTo(messages);
        return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String ruleId() {
        return ruleId;
    }

    @Override
    public String operatorId() {
        return operatorId;
    }

    @Override
    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return (id, status) -> statuses.add(status);
    }

    @Override
    public void emit(RawMessage message) {
        received.add(message);
    }

    @Override
    public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        throw new UnsupportedOperationException("an mqtt source hands on raw messages");
    }

    @Override
    public Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException {
        offerWaits.add(maxWait);
        if (!bounded) {
            emit(message);
            return Acceptance.ACCEPTED;
        }
        return received.offer(message, maxWait.toMillis(), TimeUnit.MILLISECONDS) ? Acceptance.ACCEPTED
                : Acceptance.DROPPED;
    }

    @Override
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait) {
        emitRecord(record, meta);
        return Acceptance.ACCEPTED;
    }

    @Override
    public void reportError(Throwable error) {
        errors.add(error);
    }

    @Override
    public Map<String, Object> state() {
        return Map.of();
    }

    @Override
    public void saveState(Map<String, Object> state) {
    }

    /** One JSON object per record, as with {@code sendSingle: true}. */
    @Override
    public Encoder encoder() {
        return records -> records.stream().map(TestNode::json).toList();
    }

    private static byte[] json(Map<String, Object> record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        closers.forEach(Runnable::run);
        closers.clear();
    }
}
