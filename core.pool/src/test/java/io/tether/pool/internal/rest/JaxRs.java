package io.tether.pool.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionPoolException;

/** Calls resource methods as the JAX-RS runtime would, and reads what they answer. */
final class JaxRs {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @FunctionalInterface
    interface ResourceCall {
        Response call() throws Exception;
    }

    private JaxRs() {
    }

    /** The method's response, or the response of the mapper the runtime would pick for what it threw. */
    static Response call(ResourceCall method) {
        try {
            return method.call();
        } catch (ConnectionPoolException e) {
            return new ConnectionPoolExceptionMapper().toResponse(e);
        } catch (WebApplicationException e) {
            return new WebApplicationExceptionMapper().toResponse(e);
        } catch (Exception e) {
            return new UnexpectedExceptionMapper().toResponse(e);
        }
    }

    /** The JSON body of a response, after checking that it is declared {@code application/json}. */
    static JsonNode json(Response response) {
        assertEquals(MediaType.APPLICATION_JSON_TYPE, response.getMediaType());
        try {
            return MAPPER.readTree((String) response.getEntity());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.getEntity(), e);
        }
    }

    /** Asserts an eKuiper error response and returns its message. */
    static String errorMessage(Response response, int status, int code) {
        assertEquals(status, response.getStatus(), () -> "status; body " + response.getEntity());
        JsonNode body = json(response);
        assertEquals(code, body.path("error").asInt(), "error code");
        assertEquals(2, body.size(), () -> "fields of " + body);
        return body.path("message").textValue();
    }
}
