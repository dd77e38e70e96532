package io.tether.pool.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aConnectionFailingTheSameWayAgainAndAgainIsNewsOnce() {
        StatusLogLines lines = new StatusLogLines();
        ConnectionInfo down = info(Status.DISCONNECTED, "refused");
        ConnectionInfo retrying = info(Status.CONNECTING, "refused");
        ConnectionInfo up = info(Status.CONNECTED, null);

        assertTrue(lines.isNews(down, StatusLogLines.line(down, "disconnected")));
        assertFalse(lines.isNews(retrying, StatusLogLines.line(retrying, "connecting")), "a retry");
        assertFalse(lines.isNews(down, StatusLogLines.line(down, "disconnected")), "the same failure again");
        assertTrue(lines.isNews(up, StatusLogLines.line(up, "connected")));
        assertTrue(lines.isNews(down, StatusLogLines.line(down, "disconnected")), "a new loss after connecting");
    }

    private static ConnectionInfo info(Status status, String err) {
        return new ConnectionInfo("c", "mqtt", Map.of(), true, new ConnectionStatus(status, err, 0, 0, 1, List.of()));
    }
}
