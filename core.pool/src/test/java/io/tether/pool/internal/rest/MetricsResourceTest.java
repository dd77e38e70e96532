package io.tether.pool.internal.rest;

import static io.tether.pool.internal.rest.JaxRs.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

class MetricsResourceTest {
    private final Gauge gauge = Gauge.builder()
            .name("tether_rest_test_status")
            .help("a series another bundle registered")
            .labelNames("name")
            .register();

    @AfterEach
    void unregister() {
        PrometheusRegistry.defaultRegistry.unregister(gauge);
    }

    @Test
    void answersTheDefaultRegistryInTheTextFormat() {
        gauge.labelValues("m1").set(-1);

        Response response = call(() -> new MetricsResource().scrape());

        assertEquals(200, response.getStatus());
        assertEquals(new MediaType("text", "plain", Map.of("version", "0.0.4", "charset", "utf-8")),
                response.getMediaType());
        String text = (String) response.getEntity();
        assertTrue(text.contains("# TYPE tether_rest_test_status gauge\n"), text);
        assertTrue(text.contains("tether_rest_test_status{name=\"m1\"} -1.0\n"), text);
    }
}
