package io.tether.rule.internal.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.tether.rule.internal.RuleException;

/** The rule layer's refusals in the eKuiper error shape. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("tether.rule-exception-mapper")
public class RuleExceptionMapper implements ExceptionMapper<RuleException> {

    @Override
    public Response toResponse(RuleException e) {
        return Json.response(e.kind().httpStatus(), new ErrorBody(ErrorBody.GENERIC, e.getMessage()));
    }
}
