package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Encoder;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.rule.internal.cache.SinkCache;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.SinkCacheSettings;

/**
 * One action of a running rule: its sink, context and metrics. While the sink's connector type is not installed
 * the node has no sink: it reports disconnected and counts what it is sent as exceptions.
 * <p>
 * Emissions are handed to {@link Sink#send} in order and their outcomes taken in that order as they arrive, without
 * the rule's worker waiting for them (up to {@link #MAX_AWAITING} at a time). With {@code enableCache}, an emission
 * that failed with a retryable error goes to the {@link SinkCache}, and so does every later one while the cache
 * holds any: the cache is resent from its head, one emission at a time, when the sink's connection is back (or, for
 * a sink that reports no status, every {@link #RETRY_PERIOD}); an emission leaves the cache once its send completed.
 * <p>
 * Without {@code enableCache} the node still rides out a short outage (its connection updated or re-dialled, its
 * connector bundle updated) without losing what its rule accepted: such emissions are held in memory, in order, at
 * most {@link #HOLD_LIMIT} of them (beyond, the rule's worker waits, so backpressure reaches the source), and resent
 * as the cache is. An outage longer than {@link #OUTAGE_PATIENCE} ends the hold: what it held is dropped and counted,
 * and later emissions fail as they come, counted, until the connection is back (eKuiper's behaviour).
 */
final class SinkNode extends NodeContextBase implements SinkContext {
    private static final Logger LOG = LoggerFactory.getLogger(SinkNode.class);
    private static final long SLOW_SEND_NANOS = 2_000_000;
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(1);
    /** Emissions whose outcome is awaited at most; the rule's worker waits for room beyond. */
    static final int MAX_AWAITING = 256;
    /** How long a cache whose resend failed waits before trying again, when no connection status tells. */
    static final Duration RETRY_PERIOD = Duration.ofSeconds(1);
    /** Emissions a node without {@code enableCache} holds through an outage at most. */
    static final int HOLD_LIMIT = 1024;
    /** How long a node without {@code enableCache} holds emissions through an outage before it drops them. */
    static final Duration OUTAGE_PATIENCE = Duration.ofSeconds(30);
    /** Cached emissions resent at once at most. */
    static final int RESEND_BATCH = 256;

    private final String type;
    private final Supplier<Sink> sinkFactory;
    private final Encoder encoder;
    private final NodeMetrics metrics;
    private final SinkCacheSettings settings;
    private final Path cacheDirectory;
    private final ScheduledExecutorService scheduler;
    private final StatusListener statusListener;
    private final Duration outagePatience;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    /** Written under {@link #lock}, except by a {@link #closeSink} that waited for it in vain. */
    private volatile Sink sink;
    // guarded by lock
    private boolean slow;
    /** Emissions sent, or held behind a cache, whose outcome is not yet counted: in emission order. */
    private final Deque<Pending> awaiting = new ArrayDeque<>();
    private int retryableAwaiting;
    /**
     * The {@code enableCache} cache, or the in-memory hold of a node without it; {@code null} until the node opened.
     */
    private SinkCache cache;
    /** Without {@code enableCache}: the hold outlasted {@link #OUTAGE_PATIENCE}; emissions fail as they come. */
    private boolean givenUp;
    private ScheduledFuture<?> patienceTask;
    /** The connection type the pool refused the last open for want of; null when that open did not fail so. */
    private volatile String missingType;
    /** The status the node reported when its type went, until the sink reports one of its own. */
    private volatile ConnectionStatus typeAbsent;
    private boolean resending;
    private long nextResendNanos = System.nanoTime();
    private ScheduledFuture<?> resendTask;
    private boolean stopped;

    private SinkNode(String ruleId, String operatorId, ConnectionPool pool, NodeMetrics metrics, String type,
            Supplier<Sink> sinkFactory, Encoder encoder, SinkCacheSettings settings, Path cacheDirectory,
            ScheduledExecutorService scheduler, Duration outagePatience) {
        super(ruleId, operatorId, pool, metrics);
        this.outagePatience = outagePatience;
        this.type = type;
        this.sinkFactory = sinkFactory;
        this.encoder = encoder;
        this.metrics = metrics;
        this.settings = settings;
        this.cacheDirectory = cacheDirectory;
        this.scheduler = scheduler;
        this.statusListener = (connectionId, status) -> {
            metrics.statusChanged(connectionId, status);
            if (status.status() == Status.CONNECTED) {
                submit(this::connectedAgain);
            }
        };
    }

    /**
     * The sink of the rule's action number {@code index}: operator {@code sink_<type>_<index>}.
     *
     * @param sinkFactory creates the sink from its type's current provider; throws when the type is not installed
     * @param cacheRoot   where the caches of the rules' sinks live: this one in {@code <ruleId>/<operatorId>}
     * @param scheduler   runs the resends of the cache
     * @param outagePatience how long, without {@code enableCache}, emissions are held through an outage
     */
    static SinkNode of(String ruleId, int index, Action action, Supplier<Sink> sinkFactory, ConnectionPool pool,
            ConnectionStatusGauges gauges, SinkCacheGauges cacheGauges, Path cacheRoot,
            ScheduledExecutorService scheduler, Duration outagePatience) {
        String operatorId = "sink_" + action.type() + "_" + index;
        NodeMetrics metrics = new NodeMetrics(operatorId + "_", gauges.sink(ruleId, action.type(), operatorId));
        SinkCacheSettings settings = action.cacheSettings();
        if (settings.enableCache()) {
            metrics.cacheEnabled(cacheGauges.sink(ruleId, action.type(), operatorId));
        }
        return new SinkNode(ruleId, operatorId, pool, metrics, action.type(), sinkFactory,
                new JsonEncoder(action.sendSingle()), settings, cacheRoot.resolve(ruleId).resolve(operatorId),
                scheduler, outagePatience);
    }

    @Override
    public Encoder encoder() {
        return encoder;
    }

    @Override
    public void reportError(Throwable error) {
        metrics.exception(error);
    }

    /** The node's metrics, and with a cache, a resend as soon as the connection is back. */
    @Override
    public StatusListener connectionStatusListener() {
        return statusListener;
    }

    String type() {
        return type;
    }

    /** The connection type the pool refused the last open for want of; null when that open did not fail so. */
    String missingType() {
        return missingType;
    }

    /** Opens the sink; at the first open, the cache with what a previous run left in it. */
    void open() throws Exception {
        lock.lock();
        try {
            if (cache == null && !settings.enableCache()) {
                cache = SinkCache.inMemory();
            } else if (cache == null) {
                cache = SinkCache.open(cacheDirectory, settings.memoryCacheThreshold(), settings.bufferPageSize(),
                        settings.maxDiskCache(), new SinkCache.Listener() {
                            @Override
                            public void dropped(int count) {
                                metrics.cacheDropped(count);
                            }

                            @Override
                            public void failed(String message) {
                                metrics.exception(message);
                            }
                        });
                metrics.cacheLength(cache.size());
            }
            missingType = null;
            Sink created = sinkFactory.get();
            try {
                created.open(this);
            } catch (Exception e) {
                missingType = Providers.missingConnectionType(e);
                throw e;
            }
            sink = created;
            requestResend();
        } finally {
            lock.unlock();
        }
    }

    /** Sends one emission; its outcome is counted when it comes, a failure never thrown. */
    void send(List<Map<String, Object>> emission) {
        metrics.recordsIn(emission.size());
        lock.lock();
        try {
            awaitRoom();
            if (cache != null && !givenUp
                    && (sink == null || resending || retryableAwaiting > 0 || !cache.isEmpty())) {
                Pending held = new Pending(emission);
                held.held = true;
                held.done = true;
                awaiting.add(held);
                settle();
                return;
            }
            if (sink == null) {
                metrics.exception(Providers.notInstalled(type));
                return;
            }
            Pending pending = new Pending(emission);
            awaiting.add(pending);
            send(emission, true).whenComplete((done, failure) -> outcome(pending, failure));
        } finally {
            lock.unlock();
        }
    }

    private void awaitRoom() {
        if (!full()) {
            return;
        }
        try {
            Blocking.run(() -> {
                while (full() && !stopped) {
                    settled.await();
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean full() {
        return awaiting.size() >= MAX_AWAITING
                || !settings.enableCache() && cache != null && !givenUp && cache.size() >= HOLD_LIMIT;
    }

    /**
     * A sink whose last send took long (it waits for its peer) is called as a managed block, so that the shared
     * workers add a thread while it waits and the other rules go on. A fast one is called directly: a managed block
     * on every send costs a tenth of the throughput of an MQTT relay.
     */
    private CompletionStage<Void> send(List<Map<String, Object>> emission, boolean onWorker) {
        long start = System.nanoTime();
        try {
            if (slow && onWorker) {
                @SuppressWarnings("unchecked")
                CompletionStage<Void>[] stage = new CompletionStage[1];
                Blocking.run(() -> stage[0] = sink.send(emission));
                return stage[0];
            }
            return sink.send(emission);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            slow = System.nanoTime() - start > SLOW_SEND_NANOS;
        }
    }

    private void outcome(Pending pending, Throwable failure) {
        lock.lock();
        try {
            pending.done = true;
            pending.failure = cause(failure);
            if (pending.failure != null && retryable(pending.failure)) {
                retryableAwaiting++;
            }
            settle();
        } finally {
            lock.unlock();
        }
    }

    /** Counts the outcomes at the head of {@link #awaiting}, in order; retryable failures go to the cache. */
    private void settle() {
        boolean cached = false;
        while (!awaiting.isEmpty() && awaiting.peekFirst().done) {
            Pending pending = awaiting.removeFirst();
            if (pending.held) {
                cache.add(pending.emission);
                cached = true;
            } else if (pending.failure == null) {
                metrics.recordsOut(pending.emission.size());
            } else {
                metrics.exception(pending.failure);
                if (retryable(pending.failure)) {
                    retryableAwaiting--;
                    if (cache != null && !stopped && !givenUp) {
                        cache.add(pending.emission);
                        cached = true;
                    }
                }
            }
        }
        if (cached && settings.enableCache()) {
            metrics.cacheLength(cache.size());
        }
        watchOutage();
        requestResend();
        settled.signalAll();
    }

    /** Without {@code enableCache}: a hold that lasts longer than {@link #OUTAGE_PATIENCE} is given up. */
    private void watchOutage() {
        if (settings.enableCache() || stopped || cache == null) {
            return;
        }
        if (cache.isEmpty()) {
            if (patienceTask != null) {
                patienceTask.cancel(false);
                patienceTask = null;
            }
        } else if (patienceTask == null) {
            try {
                patienceTask = scheduler.schedule(this::outageOutlasted, outagePatience.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException engineStopping) {
                patienceTask = null;
            }
        }
    }

    private void outageOutlasted() {
        lock.lock();
        try {
            patienceTask = null;
            if (stopped || cache.isEmpty()) {
                return;
            }
            int dropped = dropHeld();
            givenUp = true;
            LOG.warn("{} of rule {}: its connection stayed away for {} ms; {} emissions it held are dropped",
                    operatorId(), ruleId(), outagePatience.toMillis(), dropped);
            settle();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what the in-memory hold has, counted as exceptions of the node. */
    private int dropHeld() {
        int dropped = 0;
        for (List<Map<String, Object>> head = cache.head(); head != null; head = cache.head()) {
            cache.removeHead(head);
            dropped++;
        }
        for (Pending pending : awaiting) {
            if (pending.held) {
                pending.held = false;
                pending.failure = DeliveryException.retryable("the sink's connection stayed away for "
                        + outagePatience.toMillis() + " ms", null);
                retryableAwaiting++;
            }
        }
        if (dropped > 0) {
            metrics.exception("the sink's connection stayed away for " + outagePatience.toMillis() + " ms: "
                    + dropped + " emissions dropped (enableCache keeps them)");
        }
        return dropped;
    }

    /** Schedules the next resend, unless one is scheduled or under way, or the connection is known to be down. */
    private void requestResend() {
        if (cache == null || stopped || resending || resendTask != null || cache.isEmpty() || !awaiting.isEmpty()
                || sink == null || isDown()) {
            return;
        }
        long delay = Math.max(0, nextResendNanos - System.nanoTime());
        try {
            resendTask = scheduler.schedule(this::resendHead, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException engineStopping) {
            resendTask = null;
        }
    }

    /**
     * The sink's connection is known to be down. A sink back after its type returned that reports no status of its
     * own is taken as up.
     */
    private boolean isDown() {
        ConnectionStatus status = metrics.connection();
        return status != null && status.status() != Status.CONNECTED && !(status == typeAbsent && sink != null);
    }

    private void connectedAgain() {
        lock.lock();
        try {
            givenUp = false;
            if (resendTask != null) {
                resendTask.cancel(false);
                resendTask = null;
            }
            nextResendNanos = System.nanoTime();
            requestResend();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resends the oldest emissions of the cache, in order: a batch of up to {@link #RESEND_BATCH} at once (one with a
     * {@code resendInterval}, which spaces single resends as eKuiper does), so that the round trip of each
     * acknowledgement does not bound the rate.
     */
    private void resendHead() {
        lock.lock();
        try {
            resendTask = null;
            if (cache == null || stopped || resending || !awaiting.isEmpty() || sink == null || isDown()) {
                return;
            }
            List<List<Map<String, Object>>> batch = cache.peek(settings.resendIntervalMillis() > 0 ? 1 : RESEND_BATCH);
            if (settings.enableCache()) {
                metrics.cacheLength(cache.size());
            }
            if (batch.isEmpty()) {
                return;
            }
            resending = true;
            List<CompletableFuture<Throwable>> outcomes = new ArrayList<>(batch.size());
            for (List<Map<String, Object>> emission : batch) {
                outcomes.add(send(indicated(emission), false).handle((done, failure) -> failure)
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                    .whenComplete((done, never) -> resent(batch, outcomes));
        } finally {
            lock.unlock();
        }
    }

    private List<Map<String, Object>> indicated(List<Map<String, Object>> emission) {
        String field = settings.resendIndicatorField();
        if (field == null) {
            return emission;
        }
        return emission.stream().map(record -> {
            Map<String, Object> copy = new LinkedHashMap<>(record);
            copy.put(field, true);
            return (Map<String, Object>) copy;
        }).toList();
    }

    /**
     * Takes the outcomes of a resent batch in order: what was delivered leaves the cache, what was refused for good
     * is dropped, and the first retryable failure ends the batch there (what the batch delivered after it stays too,
     * sent again later: at least once).
     */
    private void resent(List<List<Map<String, Object>>> batch, List<CompletableFuture<Throwable>> outcomes) {
        lock.lock();
        try {
            resending = false;
            if (stopped) {
                return;
            }
            long pause = TimeUnit.MILLISECONDS.toNanos(settings.resendIntervalMillis());
            for (int i = 0; i < batch.size(); i++) {
                Throwable failure = cause(outcomes.get(i).join());
                if (failure == null) {
                    cache.removeHead(batch.get(i));
                    metrics.recordsOut(batch.get(i).size());
                    if (settings.enableCache()) {
                        metrics.cacheResent();
                    }
                    continue;
                }
                metrics.exception(failure);
                if (retryable(failure)) {
                    pause = Math.max(pause, RETRY_PERIOD.toNanos());
                    break;
                }
                cache.removeHead(batch.get(i));
            }
            if (settings.enableCache()) {
                metrics.cacheLength(cache.size());
            }
            nextResendNanos = System.nanoTime() + pause;
            watchOutage();
            requestResend();
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException engineStopping) {
            LOG.debug("{} of rule {}: the engine stops, no resend", operatorId(), ruleId());
        }
    }

    /** As {@link DeliveryException} says: its own classification, else I/O, timeouts and retryable connections. */
    static boolean retryable(Throwable failure) {
        if (failure instanceof DeliveryException delivery) {
            return delivery.isRetryable();
        }
        if (failure instanceof ConnectionException connection) {
            return connection.isRetryable();
        }
        return failure instanceof IOException || failure instanceof TimeoutException;
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The type went: the sink is closed and the node waits, disconnected, for the type to return. */
    void detach() {
        if (closeSink()) {
            metrics.disconnected(Providers.notInstalled(type));
            typeAbsent = metrics.connection();
        }
    }

    /**
     * The type returned: a new sink from its provider is opened with this context. If that fails the node stays
     * disconnected, with the failure as its message, until the type comes again.
     */
    void reattach() {
        lock.lock();
        try {
            if (sink == null) {
                open();
            }
        } catch (Exception e) {
            metrics.exception(e);
            metrics.disconnected(NodeMetrics.message(e));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The rule stops. Outcomes still awaited get a moment to come; emissions whose outcome did not come stay in the
     * cache, if any (sent again at the next start: at least once), which is written to disk, or deleted with
     * {@code cleanCacheAtStop}. Then the sink is closed.
     *
     * @return whether there was a sink to close
     */
    boolean close() {
        if (settings.enableCache()) {
            stopCache();
        } else {
            stopHold();
        }
        return closeSink();
    }

    /**
     * Without {@code enableCache}: the outcomes still awaited get a moment to come and what is held a moment to be
     * resent; what is left then is lost, counted.
     */
    private void stopHold() {
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
            while (locked && (!awaiting.isEmpty() || cache != null && !cache.isEmpty())
                    && System.nanoTime() < deadline) {
                settled.awaitNanos(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            return;
        }
        try {
            stopped = true;
            for (ScheduledFuture<?> task : new ScheduledFuture<?>[] { resendTask, patienceTask }) {
                if (task != null) {
                    task.cancel(false);
                }
            }
            resendTask = null;
            patienceTask = null;
            if (cache != null) {
                int lost = dropHeld();
                if (lost > 0) {
                    LOG.warn("{} of rule {} stopped while its connection was away: {} emissions lost", operatorId(),
                            ruleId(), lost);
                }
            }
            settle();
        } finally {
            lock.unlock();
        }
    }

    private void stopCache() {
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
            while (locked && !awaiting.isEmpty() && System.nanoTime() < deadline) {
                settled.awaitNanos(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.warn("{} of rule {} is busy in a send: its cache in memory is not written to disk", operatorId(),
                    ruleId());
            return;
        }
        try {
            stopped = true;
            if (resendTask != null) {
                resendTask.cancel(false);
                resendTask = null;
            }
            if (cache == null) {
                return;
            }
            for (Pending pending : awaiting) {
                if (pending.held || !pending.done || retryable(pending.failure)) {
                    cache.add(pending.emission);
                } else if (pending.failure == null) {
                    metrics.recordsOut(pending.emission.size());
                } else {
                    metrics.exception(pending.failure);
                }
            }
            awaiting.clear();
            try {
                if (settings.cleanCacheAtStop()) {
                    cache.clear();
                } else {
                    cache.flush();
                }
            } catch (IOException e) {
                LOG.warn("{} of rule {} could not write its cache to {}: {}", operatorId(), ruleId(), cacheDirectory,
                        e.getMessage());
            }
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the sink once its send in progress, if any, returned; after {@link #CLOSE_PATIENCE}, under it, so that a
     * sink that never returns cannot hold up a stop.
     *
     * @return whether there was a sink to close
     */
    private boolean closeSink() {
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Sink closing = sink;
            sink = null;
            if (closing == null) {
                return false;
            }
            if (!locked) {
                LOG.warn("{} of rule {} did not return from a send within {} ms: closed while it sends",
                        operatorId(), ruleId(), CLOSE_PATIENCE.toMillis());
            }
            closing.close();
            return true;
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    NodeMetrics metrics() {
        return metrics;
    }

    /** An emission whose outcome is not counted yet; a held one waits behind the cache, unsent. */
    private static final class Pending {
        final List<Map<String, Object>> emission;
        boolean held;
        boolean done;
        Throwable failure;

        Pending(List<Map<String, Object>> emission) {
            this.emission = emission;
        }
    }
}
