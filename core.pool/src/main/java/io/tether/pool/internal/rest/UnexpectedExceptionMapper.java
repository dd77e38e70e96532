package io.tether.pool.internal.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.pool.internal.registry.SecretMasker;

/**
 * Any other failure: 500 in the eKuiper error shape. The client learns nothing of the cause (its message may carry
 * props, hence secrets); the log gets the stack trace.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("tether.unexpected-exception-mapper")
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    static final String MESSAGE = "internal error; see the server log";

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        LOG.error("REST request failed", SecretMasker.forLog(e));
        return ErrorResponses.of(Status.INTERNAL_SERVER_ERROR.getStatusCode(), ErrorResponses.GENERIC, MESSAGE);
    }
}
