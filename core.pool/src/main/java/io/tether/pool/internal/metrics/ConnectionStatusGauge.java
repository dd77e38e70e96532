package io.tether.pool.internal.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectionInfo;
import io.tether.pool.internal.registry.PoolObserver;

/** {@code kuiper_conn_status_gauge{name}}: 1 connected, 0 connecting, -1 disconnected, per named connection. */
public final class ConnectionStatusGauge implements PoolObserver {
    static final String NAME = "kuiper_conn_status_gauge";

    private final PrometheusRegistry registry;
    private final Gauge gauge;

    public ConnectionStatusGauge(PrometheusRegistry registry) {
        this.registry = registry;
        this.gauge = Gauge.builder()
                .name(NAME)
                .help("Status of each named connection: 1 connected, 0 connecting, -1 disconnected")
                .labelNames("name")
                .register(registry);
    }

    @Override
    public void statusChanged(ConnectionInfo connection, long generation) {
        if (connection.named()) {
            gauge.labelValues(connection.id()).set(connection.status().status().metricValue());
        }
    }

    @Override
    public void removed(ConnectionInfo connection, long generation) {
        if (connection.named()) {
            gauge.remove(connection.id());
        }
    }

    public void unregister() {
        registry.unregister(gauge);
    }
}
