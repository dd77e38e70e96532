package io.tether.rule.internal.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.tether.api.connection.ConnectionPool;
import io.tether.rule.internal.RuleException;

/**
 * The rule layer's refusals in the eKuiper error shape, with the secrets their message may echo (a URL's password,
 * from a prop, a statement or a peer's answer) masked.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("tether.rule-exception-mapper")
public class RuleExceptionMapper implements ExceptionMapper<RuleException> {
    private final ConnectionPool pool;

    @Activate
    public RuleExceptionMapper(@Reference ConnectionPool pool) {
        this.pool = pool;
    }

    @Override
    public Response toResponse(RuleException e) {
        return Json.response(e.kind().httpStatus(), new ErrorBody(ErrorBody.GENERIC, pool.maskSecrets(e.getMessage())));
    }
}
