package io.tether.rule.internal.rest;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.tether.rule.internal.runtime.RuleEngine;

/** {@code /metadata/sources/{type}/confKeys}: eKuiper's API for the sources' conf keys. */
@Component(service = ConfKeysResource.class)
@JaxrsResource
@JaxrsName("tether.conf-keys")
@Path("metadata/sources/{type}/confKeys")
public class ConfKeysResource {
    private final RuleEngine engine;

    @Activate
    public ConfKeysResource(@Reference RuleEngine engine) {
        this.engine = engine;
    }

    /** Every section, {@code default} included, by name. */
    @GET
    public Response list(@PathParam("type") String type) {
        return Json.response(200, engine.confKeys(type));
    }

    @PUT
    @Path("{key}")
    public Response put(@PathParam("type") String type, @PathParam("key") String key, String body) {
        RequestLimits.requireNewId("conf key", key);
        engine.putConfKey(type, key, Json.parseObject(body));
        return Json.text(200, "Conf key " + key + " of source type " + type + " is updated.");
    }

    @DELETE
    @Path("{key}")
    public Response delete(@PathParam("type") String type, @PathParam("key") String key) {
        engine.deleteConfKey(type, key);
        return Json.text(200, "Conf key " + key + " of source type " + type + " is deleted.");
    }
}
