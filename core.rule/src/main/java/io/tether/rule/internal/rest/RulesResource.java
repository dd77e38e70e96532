package io.tether.rule.internal.rest;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.runtime.RuleEngine;

/** {@code /rules}: eKuiper's rule API. */
@Component(service = RulesResource.class)
@JaxrsResource
@JaxrsName("tether.rules")
@Path("rules")
public class RulesResource {
    private final RuleEngine engine;

    @Activate
    public RulesResource(@Reference RuleEngine engine) {
        this.engine = engine;
    }

    @POST
    public Response create(String body) {
        RuleDefinition rule = RuleRequest.parse(body, null);
        engine.createRule(rule);
        return Json.text(201, "Rule " + rule.id() + " was created successfully.");
    }

    @GET
    public Response list() {
        return Json.response(200, engine.rules());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return Json.response(200, RuleRequest.toJson(engine.rule(id)));
    }

    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, String body) {
        engine.updateRule(RuleRequest.parse(body, id));
        return Json.text(200, "Rule " + id + " was updated successfully.");
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        engine.deleteRule(id);
        return Json.text(200, "Rule " + id + " is dropped.");
    }

    @GET
    @Path("{id}/status")
    public Response status(@PathParam("id") String id) {
        return Json.response(200, engine.status(id));
    }

    @POST
    @Path("{id}/start")
    public Response start(@PathParam("id") String id) {
        engine.start(id);
        return Json.text(200, "Rule " + id + " was started");
    }

    @POST
    @Path("{id}/stop")
    public Response stop(@PathParam("id") String id) {
        engine.stop(id);
        return Json.text(200, "Rule " + id + " was stopped.");
    }

    @POST
    @Path("{id}/restart")
    public Response restart(@PathParam("id") String id) {
        engine.restart(id);
        return Json.text(200, "Rule " + id + " was restarted");
    }
}
