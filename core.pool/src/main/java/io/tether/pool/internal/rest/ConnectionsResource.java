package io.tether.pool.internal.rest;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;

/**
 * {@code /connections}: eKuiper's API for named connections. The pool's refusals reach the client through
 * {@link ConnectionPoolExceptionMapper}. There is no {@code @Consumes}/{@code @Produces}: eKuiper ignores
 * {@code Content-Type} and {@code Accept}, so its clients (curl examples included) may send anything there.
 */
@Component(service = ConnectionsResource.class)
@JaxrsResource
@JaxrsName("tether.connections")
@Path("connections")
public class ConnectionsResource {

    private final ConnectionPool pool;

    @Activate
    public ConnectionsResource(@Reference ConnectionPool pool) {
        this.pool = pool;
    }

    @POST
    public Response create(String body) {
        ConnectionRequest request = ConnectionRequest.parse(body);
        if (request.typ() == null) {
            throw Json.invalid("typ is required");
        }
        RequestLimits.requireNewId(request.id());
        RequestLimits.requirePropSizes(request.props());
        ConnectionInfo created = pool.create(request.id(), request.typ(), request.props());
        return json(Status.CREATED, ConnectionJson.of(created));
    }

    @GET
    public Response list(@QueryParam("forceAll") boolean forceAll) {
        return json(Status.OK, pool.list(forceAll).stream().map(ConnectionJson::of).toList());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return json(Status.OK, ConnectionJson.of(existing(id)));
    }

    /** The path's id wins over the body's; a body without {@code typ} keeps the connection's type. */
    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, String body) {
        ConnectionRequest request = ConnectionRequest.parse(body);
        RequestLimits.requirePropSizes(request.props());
        String typ = request.typ() != null ? request.typ() : existing(id).typ();
        ConnectionInfo updated = pool.update(id, typ, request.props());
        return json(Status.OK, ConnectionJson.of(updated));
    }

    /** 200 for an unknown id too, as eKuiper. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        pool.delete(id);
        return Response.ok().build();
    }

    private ConnectionInfo existing(String id) {
        return pool.get(id).orElseThrow(
                () -> new ConnectionPoolException(Reason.NOT_FOUND, "connection " + id + " not existed"));
    }

    private static Response json(Status status, Object body) {
        return Json.response(status.getStatusCode(), body).build();
    }
}
