package io.tether.pool.internal.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code GET /metrics}: the Prometheus client's default registry in the text format. Every bundle registers its
 * series there (the pool its connection gauges, the rule layer its source and sink gauges); this only scrapes.
 */
@Component(service = MetricsResource.class)
@JaxrsResource
@JaxrsName("tether.metrics")
@Path("metrics")
public class MetricsResource {

    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @GET
    public Response scrape() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        writer.write(text, PrometheusRegistry.defaultRegistry.scrape());
        // CXF writes this media type in its own spelling, text/plain;charset=utf-8;version=0.0.4
        return Response.ok(text.toString(StandardCharsets.UTF_8))
                .type(PrometheusTextFormatWriter.CONTENT_TYPE)
                .build();
    }
}
