package io.tether.pool.internal.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;

/**
 * The pool's refusals as eKuiper errors. Its message is kept as it is: for invalid props it already names each prop
 * and why. eKuiper answers 400 for not-found and in-use; we answer 404 and 409 (SPEC §5).
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("tether.connection-pool-exception-mapper")
public class ConnectionPoolExceptionMapper implements ExceptionMapper<ConnectionPoolException> {

    @Override
    public Response toResponse(ConnectionPoolException e) {
        int code = e.reason() == Reason.UNREACHABLE ? ErrorResponses.IO : ErrorResponses.GENERIC;
        return ErrorResponses.of(httpStatus(e.reason()).getStatusCode(), code, e.getMessage());
    }

    private static Status httpStatus(Reason reason) {
        return switch (reason) {
            case INVALID, UNSUPPORTED, UNREACHABLE -> Status.BAD_REQUEST;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.CONFLICT;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR;
        };
    }
}
