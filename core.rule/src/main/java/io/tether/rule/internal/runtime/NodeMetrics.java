package io.tether.rule.internal.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;

/**
 * The metrics of one node of a running rule, under eKuiper's key names. The connection keys appear once the node's
 * connection reported a status: a node without a pooled connection (log, nop, simulator) has none.
 */
final class NodeMetrics implements StatusListener {
    private final String prefix;
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong exceptions = new AtomicLong();
    private volatile String lastException = "";
    private volatile long lastExceptionTime;
    private volatile ConnectionStatus connection;
    private final ConnectionStatusGauges.Series gauge;
    /** Set for a sink with {@code enableCache}. */
    private volatile SinkCacheGauges.Series cacheSeries;
    private final AtomicLong cacheLength = new AtomicLong();
    private final AtomicLong cacheResent = new AtomicLong();
    private final AtomicLong cacheDropped = new AtomicLong();
    private final LongSupplier blockedMillis;

    /**
     * @param prefix e.g. {@code source_demo_0_} or {@code sink_mqtt_0_}
     * @param gauge  the node's Prometheus series, or {@code null} for an operator without a connection
     */
    NodeMetrics(String prefix, ConnectionStatusGauges.Series gauge) {
        this(prefix, gauge, null);
    }

    /**
     * A source's metrics.
     *
     * @param blockedMillis how long the source waited for room in its rule's buffer so far: shown as
     *                      {@code blocked_ms_total}, so that an operator sees which rule holds a connection back
     */
    NodeMetrics(String prefix, ConnectionStatusGauges.Series gauge, LongSupplier blockedMillis) {
        this.prefix = prefix;
        this.gauge = gauge;
        this.blockedMillis = blockedMillis;
    }

    void recordIn() {
        recordsIn.incrementAndGet();
    }

    void recordOut() {
        recordsOut.incrementAndGet();
    }

    void recordsIn(int count) {
        recordsIn.addAndGet(count);
    }

    void recordsOut(int count) {
        recordsOut.addAndGet(count);
    }

    /** The node is a sink with a cache: its length, resends and drops are reported, here and in Prometheus. */
    void cacheEnabled(SinkCacheGauges.Series series) {
        cacheSeries = series;
    }

    void cacheLength(int length) {
        cacheLength.set(length);
        cacheSeries.length(length);
    }

    void cacheResent() {
        cacheResent.incrementAndGet();
        cacheSeries.resent();
    }

    void cacheDropped(int count) {
        cacheDropped.addAndGet(count);
        cacheSeries.dropped(count);
    }

    ConnectionStatus connection() {
        return connection;
    }

    void exception(Throwable error) {
        exception(message(error));
    }

    static String message(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.toString();
    }

    void exception(String message) {
        exceptions.incrementAndGet();
        lastException = message;
        lastExceptionTime = System.currentTimeMillis();
    }

    @Override
    public void statusChanged(String connectionId, ConnectionStatus status) {
        connection = status;
        if (gauge != null) {
            gauge.set(status.status().metricValue());
        }
    }

    /** The node is closed for a reason of the rule's own (e.g. its connector type went): it reports disconnected. */
    void disconnected(String message) {
        ConnectionStatus previous = connection;
        statusChanged(null, new ConnectionStatus(Status.DISCONNECTED, message,
                previous == null ? 0 : previous.lastConnected(), System.currentTimeMillis(),
                previous == null ? 0 : previous.lastTry(), List.of()));
    }

    /** Removes the node's Prometheus series: its rule stopped. */
    void release() {
        if (gauge != null) {
            gauge.remove();
        }
        if (cacheSeries != null) {
            cacheSeries.remove();
        }
    }

    void putInto(Map<String, Object> metrics) {
        metrics.put(prefix + "records_in_total", recordsIn.get());
        metrics.put(prefix + "records_out_total", recordsOut.get());
        metrics.put(prefix + "exceptions_total", exceptions.get());
        metrics.put(prefix + "last_exception", lastException);
        metrics.put(prefix + "last_exception_time", lastExceptionTime);
        if (cacheSeries != null) {
            metrics.put(prefix + "cache_length", cacheLength.get());
            metrics.put(prefix + "cache_resent_total", cacheResent.get());
            metrics.put(prefix + "cache_dropped_total", cacheDropped.get());
        }
        if (blockedMillis != null) {
            metrics.put(prefix + "blocked_ms_total", blockedMillis.getAsLong());
        }
        ConnectionStatus status = connection;
        if (status != null) {
            metrics.put(prefix + "connection_status", status.status().metricValue());
            metrics.put(prefix + "connection_last_connected_time", status.lastConnected());
            metrics.put(prefix + "connection_last_disconnected_time", status.lastDisconnected());
            metrics.put(prefix + "connection_last_disconnected_message", status.err() == null ? "" : status.err());
            metrics.put(prefix + "connection_last_try_time", status.lastTry());
        }
    }
}
