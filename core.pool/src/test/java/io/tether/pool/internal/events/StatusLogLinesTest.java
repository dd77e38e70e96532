package io.tether.pool.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;

class StatusLogLinesTest {

    @Test
    void aLineNamesTheConnectionItsTypeStatusErrorAndReferences() {
        ConnectionInfo connection = new ConnectionInfo("mqttcon1", "mqtt", Map.of(), true,
                new ConnectionStatus(Status.CONNECTED, null, 1, 0, 1, List.of("r1", "r2")));

        assertEquals("conn=mqttcon1 typ=mqtt status=connected err=\"\" refs=2",
                StatusLogLines.line(connection, "connected"));
    }

    @Test
    void valuesWithSpacesQuotesOrEqualsSignsAreQuoted() {
        ConnectionInfo connection = new ConnectionInfo("c", "sql", Map.of(), true, new ConnectionStatus(
                Status.DISCONNECTED, "dial postgres://u:******@h/db: a=\"b\"\nnext", 0, 0, 1, List.of()));

        assertEquals("conn=c typ=sql status=disconnected err=\"dial postgres://u:******@h/db: a=\\\"b\\\"\\nnext\" "
                + "refs=0", StatusLogLines.line(connection, "disconnected"));
    }
}
