package io.tether.pool.internal.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;

/**
 * eKuiper's connectivity checks, {@code POST /metadata/sources/connection/{type}} and
 * {@code POST /metadata/sinks/connection/{type}}: the body is the props object; nothing is stored or kept open.
 */
@Component(service = ConnectionCheckResource.class, configurationPid = ConnectionCheckResource.PID)
@Designate(ocd = ConnectionCheckResource.Config.class)
@JaxrsResource
@JaxrsName("tether.connection-check")
@Path("metadata")
public class ConnectionCheckResource {
    static final String PID = "io.tether.pool.rest.check";

    @ObjectClassDefinition(name = "Tether connectivity check",
            description = "POST /metadata/sources|sinks/connection/{type}")
    public @interface Config {
        @AttributeDefinition(description = "How long a connectivity check may take before it fails, in milliseconds")
        long timeoutMillis() default 5000;
    }

    private final ConnectionPool pool;
    private final Duration timeout;

    @Activate
    public ConnectionCheckResource(@Reference ConnectionPool pool, Config config) {
        this.pool = pool;
        this.timeout = Duration.ofMillis(config.timeoutMillis());
    }

    @POST
    @Path("sources/connection/{type}")
    public Response checkSource(@PathParam("type") String type, String body) {
        return check("source", type, body);
    }

    @POST
    @Path("sinks/connection/{type}")
    public Response checkSink(@PathParam("type") String type, String body) {
        return check("sink", type, body);
    }

    /** @param role "source" or "sink", as eKuiper names it in its message for types that cannot check */
    private Response check(String role, String type, String body) {
        Map<String, Object> props = Json.toMap(Json.parseObject(body), "request body");
        try {
            pool.check(type, props, timeout);
        } catch (ConnectionPoolException e) {
            if (e.reason() == Reason.UNSUPPORTED) {
                throw new ConnectionPoolException(Reason.UNSUPPORTED,
                        role + " " + type + " doesn't support ping connection", List.of(), e);
            }
            throw e;
        }
        return Response.ok().build();
    }
}
