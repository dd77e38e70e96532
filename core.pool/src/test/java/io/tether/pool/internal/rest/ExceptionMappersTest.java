package io.tether.pool.internal.rest;

import static io.tether.pool.internal.rest.JaxRs.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.ws.rs.BadRequestException;
import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionPoolException.Reason;
import io.tether.api.connection.PropError;

class ExceptionMappersTest {
    @ParameterizedTest
    @CsvSource({"INVALID, 400, 1000", "UNSUPPORTED, 400, 1000", "UNREACHABLE, 400, 1003", "NOT_FOUND, 404, 1000",
            "CONFLICT, 409, 1000", "UNAVAILABLE, 503, 1000", "INTERNAL, 500, 1000"})
    void mapsEachReasonOfThePoolToAStatusAndCode(Reason reason, int status, int code) {
        Response response = new ConnectionPoolExceptionMapper()
                .toResponse(new ConnectionPoolException(reason, "why " + reason));

        assertEquals("why " + reason, errorMessage(response, status, code));
    }

    @Test
    void keepsThePoolsMessageThatNamesEachInvalidProp() {
        List<PropError> errors = List.of(new PropError("server", "is required"), new PropError("qos", "must be 0-2"));
        ConnectionPoolException e = new ConnectionPoolException(Reason.INVALID,
                "invalid props: server: is required; qos: must be 0-2", errors, null);

        assertEquals("invalid props: server: is required; qos: must be 0-2",
                errorMessage(new ConnectionPoolExceptionMapper().toResponse(e), 400, 1000));
    }

    @Test
    void answersJaxRsErrorsInTheErrorShapeWithTheirStatus() {
        WebApplicationExceptionMapper mapper = new WebApplicationExceptionMapper();

        assertEquals("HTTP 404 Not Found", errorMessage(mapper.toResponse(new NotFoundException()), 404, 1000));
        assertEquals("HTTP 415 Unsupported Media Type",
                errorMessage(mapper.toResponse(new NotSupportedException()), 415, 1000));
        assertEquals("Unexpected end-of-input",
                errorMessage(mapper.toResponse(new BadRequestException("Unexpected end-of-input")), 400, 1000));
    }

    @Test
    void keepsTheAllowHeaderOfAMethodNotAllowed() {
        Response response = new WebApplicationExceptionMapper().toResponse(new NotAllowedException("GET", new String[] {"POST"}));

        assertEquals("HTTP 405 Method Not Allowed", errorMessage(response, 405, 1000));
        assertEquals(List.of("GET", "POST"), List.of(response.getHeaderString(HttpHeaders.ALLOW).split(",")).stream()
                .sorted().toList());
    }

    @Test
    void answersAnyOtherFailureWith500WithoutItsDetails() {
        Exception e = new UncheckedIOException("internal detail", new IOException());

        Response response = new UnexpectedExceptionMapper().toResponse(e);

        assertEquals(UnexpectedExceptionMapper.MESSAGE, errorMessage(response, 500, 1000));
    }
}
