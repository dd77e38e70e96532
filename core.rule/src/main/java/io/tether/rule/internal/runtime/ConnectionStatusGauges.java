package io.tether.rule.internal.runtime;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code kuiper_source_connection_status} and {@code kuiper_sink_connection_status}
 * {@code {rule, type, op, op_instance}} (SPEC §8): 1 connected, 0 connecting, -1 disconnected, per node of a running
 * rule whose connection reported a status. Registered in the registry that {@code /metrics} scrapes.
 */
final class ConnectionStatusGauges {
    private final PrometheusRegistry registry;
    private final Gauge sources;
    private final Gauge sinks;

    ConnectionStatusGauges(PrometheusRegistry registry) {
        this.registry = registry;
        this.sources = gauge("kuiper_source_connection_status", "sources", registry);
        this.sinks = gauge("kuiper_sink_connection_status", "sinks", registry);
    }

    private static Gauge gauge(String name, String what, PrometheusRegistry registry) {
        return Gauge.builder()
                .name(name)
                .help("Connection status of rules' " + what + ": 1 connected, 0 connecting, -1 disconnected")
                .labelNames("rule", "type", "op", "op_instance")
                .register(registry);
    }

    /** The series of one node: {@code op_instance} is always 0 (no node runs in parallel instances yet). */
    Series source(String rule, String type, String operatorId) {
        return new Series(sources, rule, type, operatorId, "0");
    }

    Series sink(String rule, String type, String operatorId) {
        return new Series(sinks, rule, type, operatorId, "0");
    }

    void unregister() {
        registry.unregister(sources);
        registry.unregister(sinks);
    }

    /** One node's series; once removed, late status reports do not bring it back. */
    static final class Series {
        private final Gauge gauge;
        private final String[] labels;
        private boolean removed;

        private Series(Gauge gauge, String... labels) {
            this.gauge = gauge;
            this.labels = labels;
        }

        synchronized void set(int value) {
            if (!removed) {
                gauge.labelValues(labels).set(value);
            }
        }

        synchronized void remove() {
            removed = true;
            gauge.remove(labels);
        }
    }
}
