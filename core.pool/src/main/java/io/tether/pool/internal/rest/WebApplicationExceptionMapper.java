package io.tether.pool.internal.rest;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * JAX-RS's own errors (an unknown path, a method not allowed, an unacceptable media type, a body a provider could not
 * read) in the eKuiper error shape, keeping their status and their headers such as {@code Allow}.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("tether.web-application-exception-mapper")
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        Response.ResponseBuilder error =
                ErrorResponses.builder(original.getStatus(), ErrorResponses.GENERIC, e.getMessage());
        original.getHeaders().forEach((name, values) -> {
            if (!isAboutTheBody(name)) {
                values.forEach(value -> error.header(name, value));
            }
        });
        return error.build();
    }

    private static boolean isAboutTheBody(String header) {
        return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(header) || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(header)
                || HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(header);
    }
}
