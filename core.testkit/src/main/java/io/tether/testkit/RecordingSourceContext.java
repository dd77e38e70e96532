package io.tether.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;

/**
 * A rule as a source sees it. Raw messages the rule accepts go to {@link #messages}, records to {@link #records}. By
 * default it accepts every offer at once; with a capacity it plays a rule's bounded buffer that the test drains (an
 * offer waits for room as long as it may, then is {@code DROPPED}); {@link #answering} scripts the next answers
 * ({@code DROPPED}, {@code CLOSED}) and {@link #acceptingRecords} makes a slow or picky rule. {@link #reserve}
 * holds room in the bounded buffer, and {@link #decoding} plays the stream's FORMAT for prepared messages.
 */
public class RecordingSourceContext extends RecordingContext implements SourceContext {
    /** Raw messages the rule accepted (or was handed with {@code emit}), in order; a test takes them out. */
    public final BlockingQueue<RawMessage> messages;
    /** Records the rule accepted (or was handed with {@code emitRecord}), in order. */
    public final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    /** Every record offered, accepted or not. */
    public final List<Map<String, Object>> offered = new CopyOnWriteArrayList<>();
    /** The longest waits that offers were given. */
    public final Set<Duration> offerWaits = ConcurrentHashMap.newKeySet();
    /** Every state saved, in order, with the number of records accepted when it was saved. */
    public final List<Saved> saves = new CopyOnWriteArrayList<>();
    private final boolean bounded;
    private final Deque<Acceptance> script = new ArrayDeque<>();
    private volatile Map<String, Object> state = Map.of();
    private volatile RecordRule recordRule = record -> Acceptance.ACCEPTED;
    private volatile Consumer<byte[]> format = payload -> { };
    /** Room held by reservations in the bounded buffer; guarded by {@link #messages}. */
    private int held;
    /** Reservations released unused (a fan-out that did not go through). */
    public final AtomicInteger released = new AtomicInteger();

    /** How the rule answers an offered record: at once, after a wait (a slow rule), or not at all. */
    @FunctionalInterface
    public interface RecordRule {
        Acceptance offer(Map<String, Object> record) throws InterruptedException;
    }

    /** A saved state, and how many records the rule had accepted when it was saved. */
    public record Saved(Map<String, Object> state, int accepted) {
    }

    /** A rule that accepts every offer at once. */
    public RecordingSourceContext(ConnectionPool pool, String ruleId, String operatorId) {
        this(pool, ruleId, operatorId, 0);
    }

    /** @param capacity room for raw messages not taken out of {@link #messages} yet; 0: unbounded */
    public RecordingSourceContext(ConnectionPool pool, String ruleId, String operatorId, int capacity) {
        super(pool, ruleId, operatorId);
        this.bounded = capacity > 0;
        this.messages = bounded ? new LinkedBlockingQueue<>(capacity) : new LinkedBlockingQueue<>();
    }

    /** Opens the source on this context; {@link #close()} closes it. */
    public RecordingSourceContext open(Source source) throws Exception {
        source.open(this);
        closeWith(source::close);
        return this;
    }

    /** The state the source finds at its start (a restarted rule's). */
    public RecordingSourceContext withState(Map<String, Object> initial) {
        state = Map.copyOf(initial);
        return this;
    }

    /** Answers the next offers, raw or records, with these, in order, before the usual answers resume. */
    public RecordingSourceContext answering(Acceptance... answers) {
        synchronized (script) {
            script.addAll(Arrays.asList(answers));
        }
        return this;
    }

    /** Makes offered records answered by {@code rule}; by default every record is accepted at once. */
    public RecordingSourceContext acceptingRecords(RecordRule rule) {
        recordRule = rule;
        return this;
    }

    /**
     * Plays the stream's FORMAT for {@link Reservation#prepare}: {@code check} throws
     * {@link IllegalArgumentException} for a payload that does not decode.
     */
    public RecordingSourceContext decoding(Consumer<byte[]> check) {
        format = check;
        return this;
    }

    /** The next raw message's payload as text, or null when none comes within the time. */
    public String next(Duration timeout) throws InterruptedException {
        RawMessage message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return message == null ? null : text(message);
    }

    /** The payloads of the raw messages received so far, as text, taken out of {@link #messages}. */
    public List<String> drain() {
        List<RawMessage> taken = new ArrayList<>();
        messages.drainTo(taken);
        return taken.stream().map(RecordingSourceContext::text).toList();
    }

    /** The values of one field of the records accepted so far. */
    public List<Object> values(String field) {
        List<Object> values = new ArrayList<>();
        records.forEach(record -> values.add(record.get(field)));
        return values;
    }

    @Override
    public void emit(RawMessage message) {
        try {
            messages.put(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void emitRecord(Map<String, Object> record, Map<String, Object> meta) {
        records.add(record);
    }

    @Override
    public Acceptance offer(RawMessage message, Duration maxWait) throws InterruptedException {
        offerWaits.add(maxWait);
        Acceptance scripted = scripted();
        if (scripted != null) {
            return scripted;
        }
        if (!bounded) {
            emit(message);
            return Acceptance.ACCEPTED;
        }
        return messages.offer(message, maxWait.toMillis(), TimeUnit.MILLISECONDS) ? Acceptance.ACCEPTED
                : Acceptance.DROPPED;
    }

    @Override
    public Acceptance offerRecord(Map<String, Object> record, Map<String, Object> meta, Duration maxWait)
            throws InterruptedException {
        offerWaits.add(maxWait);
        offered.add(record);
        Acceptance scripted = scripted();
        Acceptance acceptance = scripted != null ? scripted : recordRule.offer(record);
        if (acceptance == Acceptance.ACCEPTED) {
            records.add(record);
        }
        return acceptance;
    }

    /** Holds room as {@link #offer} waits for it; in a bounded buffer, the held room counts as taken. */
    @Override
    public Reservation reserve(Duration maxWait) throws InterruptedException {
        offerWaits.add(maxWait);
        Acceptance scripted = scripted();
        if (scripted != null && scripted != Acceptance.ACCEPTED) {
            return new Held(scripted);
        }
        if (bounded) {
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (true) {
                synchronized (messages) {
                    if (messages.remainingCapacity() > held) {
                        held++;
                        break;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    return new Held(Acceptance.DROPPED);
                }
                Thread.sleep(1);
            }
        }
        return new Held(Acceptance.ACCEPTED);
    }

    /** A reservation of this rule. */
    private final class Held implements Reservation {
        private final Acceptance acceptance;
        private RawMessage preparedMessage;
        private Map<String, Object> preparedRecord;
        private boolean ended;

        Held(Acceptance acceptance) {
            this.acceptance = acceptance;
            this.ended = acceptance != Acceptance.ACCEPTED;
        }

        @Override
        public Acceptance acceptance() {
            return acceptance;
        }

        @Override
        public void prepare(RawMessage message) {
            checkOpen();
            format.accept(message.payload());
            preparedMessage = message;
            preparedRecord = null;
        }

        @Override
        public void prepareRecord(Map<String, Object> record, Map<String, Object> meta) {
            checkOpen();
            preparedRecord = record;
            preparedMessage = null;
        }

        @Override
        public void commit() {
            checkOpen();
            if (preparedMessage == null && preparedRecord == null) {
                throw new IllegalStateException("nothing was prepared");
            }
            ended = true;
            if (preparedRecord != null) {
                offered.add(preparedRecord);
                records.add(preparedRecord);
            }
            synchronized (messages) {
                if (bounded) {
                    held--;
                }
                if (preparedMessage != null && !messages.offer(preparedMessage)) {
                    throw new IllegalStateException("the held room is gone");
                }
            }
        }

        @Override
        public void release() {
            if (ended) {
                return;
            }
            ended = true;
            released.incrementAndGet();
            if (bounded) {
                synchronized (messages) {
                    held--;
                }
            }
        }

        private void checkOpen() {
            if (ended) {
                throw new IllegalStateException(acceptance == Acceptance.ACCEPTED
                        ? "the reservation was committed or released" : "no room is held: " + acceptance);
            }
        }
    }

    @Override
    public Map<String, Object> state() {
        return state;
    }

    @Override
    public void saveState(Map<String, Object> saved) {
        state = Map.copyOf(saved);
        saves.add(new Saved(state, records.size()));
    }

    private Acceptance scripted() {
        synchronized (script) {
            return script.poll();
        }
    }

    private static String text(RawMessage message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
