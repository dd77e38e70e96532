package io.tether.pool.internal.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.pool.internal.schema.ConnectorCatalog;

/**
 * {@code /metadata/connections}: the installed connection types with their bundles, and each type's props schema
 * as its bundle ships it.
 */
@Component(service = ConnectorMetadataResource.class)
@JaxrsResource
@JaxrsName("tether.connector-metadata")
@Path("metadata/connections")
public class ConnectorMetadataResource {

    private final ConnectorCatalog catalog;

    @Activate
    public ConnectorMetadataResource(@Reference ConnectorCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Response types() {
        return Json.response(Status.OK.getStatusCode(), catalog.types()).build();
    }

    @GET
    @Path("{typ}")
    public Response schema(@PathParam("typ") String typ) {
        if (catalog.types().stream().noneMatch(type -> type.typ().equalsIgnoreCase(typ.strip()))) {
            throw new ConnectionPoolException(Reason.NOT_FOUND, "connector type '" + typ + "' is not installed");
        }
        return Json.response(Status.OK.getStatusCode(), catalog.schema(typ).orElseThrow(() ->
                new ConnectionPoolException(Reason.NOT_FOUND, "connector type '" + typ + "' declares no props schema")))
                .build();
    }
}
