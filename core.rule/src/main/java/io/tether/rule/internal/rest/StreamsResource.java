package io.tether.rule.internal.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.runtime.RuleEngine;
import io.tether.rule.internal.sql.Sql;
import io.tether.rule.internal.sql.SqlException;
import io.tether.rule.internal.sql.StreamDefinition;

/** {@code /streams}: eKuiper's stream API. */
@Component(service = StreamsResource.class)
@JaxrsResource
@JaxrsName("tether.streams")
@Path("streams")
public class StreamsResource {
    private final RuleEngine engine;

    @Activate
    public StreamsResource(@Reference RuleEngine engine) {
        this.engine = engine;
    }

    @POST
    public Response create(String body) {
        Object sql = Json.parseObject(body).get("sql");
        if (!(sql instanceof String statement)) {
            throw RuleException.invalid("sql is required");
        }
        RequestLimits.requireSqlLength(statement);
        RequestLimits.requireNewId("stream name", parse(statement).name());
        StreamDefinition stream = engine.createStream(statement);
        return Json.text(201, "Stream " + stream.name() + " is created.");
    }

    private static StreamDefinition parse(String statement) {
        try {
            return Sql.parseStream(statement);
        } catch (SqlException e) {
            throw RuleException.invalid(e.getMessage());
        }
    }

    @GET
    public Response list() {
        return Json.response(200, engine.streamNames());
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        Map.Entry<StreamDefinition, String> stream = engine.stream(name);
        StreamDefinition definition = stream.getKey();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("type", definition.type());
        options.put("datasource", definition.datasource());
        options.put("format", definition.format());
        if (definition.confKey() != null) {
            options.put("conf_key", definition.confKey());
        }
        options.put("shared", definition.shared());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Name", definition.name());
        json.put("StreamFields", definition.fields().stream()
                .map(field -> Map.of("Name", field.name(), "FieldType", field.type())).toList());
        json.put("Options", options);
        json.put("Statement", stream.getValue());
        return Json.response(200, json);
    }

    /** 409 while a rule uses the stream. */
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        engine.deleteStream(name);
        return Json.text(200, "Stream " + name + " is dropped.");
    }
}
