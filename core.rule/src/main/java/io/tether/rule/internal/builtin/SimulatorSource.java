package io.tether.rule.internal.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;

/**
 * A source owned by its rule, with no connection (the seed's lifecycle 1): emits a record every interval, cycling
 * through the given records, or generated ones ({@code id}, {@code temperature}, {@code humidity}) when none are
 * given.
 */
final class SimulatorSource implements Source {
    private final long intervalMillis;
    private final List<Map<String, Object>> data;
    private ScheduledExecutorService timer;
    private long sequence;

    SimulatorSource(long intervalMillis, List<Map<String, Object>> data) {
        this.intervalMillis = intervalMillis;
        this.data = List.copyOf(data);
    }

    @Override
    public synchronized void open(SourceContext context) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tether-simulator-" + context.ruleId());
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> context.emitRecord(next(), Map.of()), 0, intervalMillis,
                TimeUnit.MILLISECONDS);
    }

    private Map<String, Object> next() {
        long n = sequence++;
        if (!data.isEmpty()) {
            return data.get((int) (n % data.size()));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", n);
        record.put("temperature", 20.0 + n % 20);
        record.put("humidity", 40 + n % 30);
        return record;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
