package io.tether.pool.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.pool.internal.metrics.ConnectionStatusGauge;
import io.tether.pool.internal.registry.PoolObserver;

class StatusLogLinesTest {
    private static final ConnectionInfo DOWN = info(Status.DISCONNECTED, "refused");
    private static final ConnectionInfo RETRYING = info(Status.CONNECTING, "refused");
    private static final ConnectionInfo UP = info(Status.CONNECTED, null);

    private long now = 1_700_000_000_000L;
    private final List<String> info = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();

    private record Timer(Runnable task, long delayMillis, boolean[] cancelled) {
    }

    private StatusLogLines lines(int perMinute) {
        return new StatusLogLines((task, delayMillis) -> {
            Timer timer = new Timer(task, delayMillis, new boolean[1]);
            timers.add(timer);
            return () -> timer.cancelled()[0] = true;
        }, () -> now, StatusLogLines.Output.of(info::add, debug::add), perMinute);
    }

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
    void aConnectionFailingTheSameWayAgainAndAgainIsLoggedOnceAtInfo() {
        StatusLogLines lines = lines(10);
        lines.statusChanged(DOWN, 1);
        lines.statusChanged(RETRYING, 1);
        lines.statusChanged(DOWN, 1);
        lines.statusChanged(UP, 2);
        lines.statusChanged(DOWN, 2);

        assertEquals(List.of(line(DOWN), line(UP), line(DOWN)), info);
        assertEquals(List.of(line(RETRYING), line(DOWN)), debug, "a retry, the same failure again");
    }

    @Test
    void aFlappingConnectionLogsItsFirstLinesThenOneSummaryWhenTheMinuteEnds() {
        StatusLogLines lines = lines(3);
        long start = now;
        for (int i = 0; i < 10; i++) {
            lines.statusChanged(UP, i);
            now += 1000;
            lines.statusChanged(DOWN, i);
            now += 1000;
        }
        lines.statusChanged(UP, 10);

        assertEquals(List.of(line(UP), line(DOWN), line(UP)), info, "the first three");
        assertEquals(18, debug.size(), "the others at DEBUG");
        assertEquals(1, timers.size(), "one summary");
        assertEquals(60_000 - 3_000, timers.get(0).delayMillis(), "set by the fourth: at the end of the first's minute");

        now = start + 60_000;
        timers.get(0).task().run();
        assertEquals(line(UP) + " suppressed=18", info.get(3), "the status at the end of the minute");

        lines.statusChanged(UP, 10);
        assertEquals(4, info.size(), "the same status again is no news");
        lines.statusChanged(DOWN, 11);
        assertEquals(line(DOWN), info.get(4), "a new minute starts with lines of its own");
    }

    @Test
    void aConnectionRemovedBeforeTheSummaryCarriesTheCountOnItsLastLine() {
        StatusLogLines lines = lines(2);
        lines.statusChanged(UP, 1);
        lines.statusChanged(DOWN, 1);
        lines.statusChanged(UP, 2);
        lines.statusChanged(DOWN, 2);
        lines.removed(DOWN, 2);

        assertEquals(List.of(line(UP), line(DOWN), StatusLogLines.line(DOWN, "deleted") + " suppressed=2"), info);
        assertTrue(timers.get(0).cancelled()[0], "no summary after the removal");
    }

    @Test
    void eachConnectionHasItsOwnAllowanceAndZeroMeansNoLimit() {
        StatusLogLines lines = lines(1);
        lines.statusChanged(UP, 1);
        lines.statusChanged(info("other", Status.CONNECTED, null), 1);
        assertEquals(2, info.size());

        lines.linesPerMinute(0);
        for (int i = 0; i < 50; i++) {
            lines.statusChanged(i % 2 == 0 ? DOWN : UP, i);
        }
        assertEquals(52, info.size());
        assertTrue(timers.isEmpty());
    }

    @Test
    void withoutATimerThePoolIsStoppingAndLinesAreNotHeldBack() {
        StatusLogLines lines = new StatusLogLines((task, delayMillis) -> null, () -> now, StatusLogLines.Output.of(info::add, debug::add), 1);
        lines.statusChanged(UP, 1);
        lines.statusChanged(DOWN, 1);
        assertEquals(List.of(line(UP), line(DOWN)), info);
    }

    @Test
    void onlyTheLogIsThrottledTheEventsAndMetricsSeeEveryChange() {
        StatusEventLog events = new StatusEventLog(1000, () -> now);
        List<StatusEvent> seen = new ArrayList<>();
        events.subscribe(null, new StatusEventLog.Subscriber() {
            @Override
            public boolean offer(StatusEvent event) {
                return seen.add(event);
            }

            @Override
            public boolean heartbeat() {
                return true;
            }

            @Override
            public void dropped() {
            }
        });
        PrometheusRegistry metrics = new PrometheusRegistry();
        PoolObserver pool = PoolObserver.all(new ConnectionStatusGauge(metrics), events, lines(2));
        for (int i = 0; i < 21; i++) {
            pool.statusChanged(i % 2 == 0 ? DOWN : UP, i);
        }

        assertEquals(List.of(line(DOWN), line(UP)), info, "the log is throttled");
        assertEquals(21, seen.stream().filter(e -> e.name().equals(StatusEvent.STATUS)).count(), "every event");
        assertTrue(seen.get(seen.size() - 1).json().contains("\"disconnected\""), seen.get(seen.size() - 1).json());
        GaugeSnapshot gauge = (GaugeSnapshot) metrics.scrape().stream().findFirst().orElseThrow();
        assertEquals(-1.0, gauge.getDataPoints().get(0).getValue(), "the gauge follows the last change");
    }

    private static String line(ConnectionInfo connection) {
        return StatusLogLines.line(connection, connection.status().status().text());
    }

    private static ConnectionInfo info(Status status, String err) {
        return info("c", status, err);
    }

    private static ConnectionInfo info(String id, Status status, String err) {
        return new ConnectionInfo(id, "mqtt", Map.of(), true, new ConnectionStatus(status, err, 0, 0, 1, List.of()));
    }
}
