package io.tether.rule.internal.runtime;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The sink caches of running rules in {@code /metrics}: {@code kuiper_sink_cache_length} (emissions kept),
 * {@code kuiper_sink_cache_resent_total} and {@code kuiper_sink_cache_dropped_total}
 * {@code {rule, type, op, op_instance}}, per sink with {@code enableCache}.
 */
final class SinkCacheGauges {
    private static final String[] LABELS = {"rule", "type", "op", "op_instance"};
    private final PrometheusRegistry registry;
    private final Gauge length;
    private final Counter resent;
    private final Counter dropped;

    SinkCacheGauges(PrometheusRegistry registry) {
        this.registry = registry;
        this.length = Gauge.builder().name("kuiper_sink_cache_length")
                .help("Emissions a rule's sink keeps in its cache, to resend").labelNames(LABELS).register(registry);
        this.resent = Counter.builder().name("kuiper_sink_cache_resent")
                .help("Emissions a rule's sink resent from its cache").labelNames(LABELS).register(registry);
        this.dropped = Counter.builder().name("kuiper_sink_cache_dropped")
                .help("Emissions a rule's sink dropped from its full cache").labelNames(LABELS).register(registry);
    }

    Series sink(String rule, String type, String operatorId) {
        return new Series(rule, type, operatorId, "0");
    }

    void unregister() {
        registry.unregister(length);
        registry.unregister(resent);
        registry.unregister(dropped);
    }

    /** One sink's series; once removed, late updates do not bring them back. */
    final class Series {
        private final String[] labels;
        private final GaugeDataPoint lengthPoint;
        private final CounterDataPoint resentPoint;
        private final CounterDataPoint droppedPoint;
        private boolean removed;

        private Series(String... labels) {
            this.labels = labels;
            this.lengthPoint = length.labelValues(labels);
            this.resentPoint = resent.labelValues(labels);
            this.droppedPoint = dropped.labelValues(labels);
        }

        synchronized void length(int value) {
            if (!removed) {
                lengthPoint.set(value);
            }
        }

        synchronized void resent() {
            if (!removed) {
                resentPoint.inc();
            }
        }

        synchronized void dropped(int count) {
            if (!removed) {
                droppedPoint.inc(count);
            }
        }

        synchronized void remove() {
            removed = true;
            length.remove(labels);
            resent.remove(labels);
            dropped.remove(labels);
        }
    }
}
