package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;
import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.Registration;

/**
 * The contract of a connector whose connections are endpoints on the data server (httppush, websocket in server
 * mode), which {@link ConnectorContract} cannot check (no peer is dialled, so there is no link to cut). As a JUnit 5
 * suite over the real pool ({@link TestPool}), the real data server ({@link TestDataServer}) and the type's DS
 * components from its bundle ({@link ConnectorComponents}):
 * <ul>
 * <li>every source attached to an endpoint receives everything delivered to it (fan-out, one registration);</li>
 * <li>the anonymous endpoint is unregistered when its last source closes, and nothing of it is left in the pool;</li>
 * <li>a named connection keeps its endpoint without sources, and its references go back to 0 when they close;</li>
 * <li>the type removed and returned: its endpoints go and come back, its sources are told
 * {@code connector type '<typ>' is not installed}, then receive again.</li>
 * </ul>
 */
public abstract class ServedEndpointContract {
    private static final String NAMED = "served";

    /** The data server of the current test, its listener held up by an endpoint of the suite's own. */
    protected TestDataServer server;
    /** The pool of the current test, with the type installed. */
    protected TestPool pool;
    private ConnectorComponents components;
    private Registration keepListening;
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** The connection type. */
    protected abstract String type();

    /** The datasource of the sources the suite opens (an endpoint path), starting with {@code /}. */
    protected abstract String datasource();

    /** The props of a named connection serving {@link #datasource()}. */
    protected abstract Map<String, Object> namedProps();

    /** Delivers data carrying {@code marker} to the endpoint on {@code path}, as a client of the type would. */
    protected abstract void deliver(String path, String marker) throws Exception;

    /** Whether {@code path} is served (registered) on the data server now, as a client of the type sees it. */
    protected abstract boolean isServed(String path) throws Exception;

    /** The props of the sources besides the connection selector. */
    protected Map<String, Object> sourceProps() {
        return Map.of();
    }

    @BeforeEach
    void startServedContract() throws Exception {
        server = TestDataServer.start();
        keepListening = server.httpEndpoint("/served-contract-keep", "GET", r -> EndpointResponse.text(200, "kept"));
        components = ConnectorComponents.load(type()).withService(DataServer.class, server);
        pool = TestPool.create();
        components.installIn(pool);
    }

    @AfterEach
    void stopServedContract() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        closing.clear();
        pool.close();
        components.close();
        keepListening.close();
        server.close();
    }

    @Test
    public void everySourceOfAnEndpointReceivesEverythingDeliveredToIt() throws Exception {
        RecordingSourceContext first = openSource("rule1", Map.of());
        RecordingSourceContext second = openSource("rule2", Map.of());
        String marker = "fan-out-" + System.nanoTime();
        deliver(datasource(), marker);
        awaitMarker(first, marker);
        awaitMarker(second, marker);
        assertEquals(1, pool.list(true).size(), "one connection for the endpoint: " + pool.list(true));
    }

    @Test
    public void theAnonymousEndpointIsUnregisteredWithItsLastSource() throws Exception {
        RecordingSourceContext first = openSource("rule1", Map.of());
        RecordingSourceContext second = openSource("rule2", Map.of());
        first.close();
        assertTrue(isServed(datasource()), "the endpoint stays for the other source");
        second.close();
        Poll.until("the anonymous connection is gone", () -> pool.list(true).isEmpty(), () -> pool.list(true));
        assertFalse(isServed(datasource()));
    }

    @Test
    public void aNamedConnectionKeepsItsEndpointAndItsReferencesGoBackToZero() throws Exception {
        pool.create(NAMED, type(), namedProps());
        pool.awaitStatus(NAMED, Status.CONNECTED);
        assertTrue(isServed(datasource()), "served without sources");
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, NAMED);
        RecordingSourceContext first = openSource("rule1", selector);
        RecordingSourceContext second = openSource("rule2", selector);
        assertEquals(2, pool.info(NAMED).status().refCount());
        String marker = "named-" + System.nanoTime();
        deliver(datasource(), marker);
        awaitMarker(first, marker);
        awaitMarker(second, marker);
        first.close();
        second.close();
        assertEquals(0, pool.info(NAMED).status().refCount());
        assertTrue(isServed(datasource()), "served while the connection exists");
        pool.delete(NAMED);
        assertFalse(isServed(datasource()));
    }

    @Test
    public void aRemovedTypeTakesItsEndpointsAwayAndItsReturnBringsThemBackWithTheirSources() throws Exception {
        RecordingSourceContext source = openSource("rule1", Map.of());
        pool.removeType(type());
        String notInstalled = "connector type '" + type() + "' is not installed";
        Poll.until("the source is told", () -> source.statuses.stream().anyMatch(s -> notInstalled.equals(s.err())),
                () -> source.statuses);
        Poll.until("the endpoint is gone", () -> !servedNow());
        components.installIn(pool);
        Poll.until("the endpoint is back", this::servedNow);
        String marker = "back-" + System.nanoTime();
        deliver(datasource(), marker);
        awaitMarker(source, marker);
    }

    private boolean servedNow() {
        try {
            return isServed(datasource());
        } catch (Exception e) {
            throw new AssertionError("cannot tell whether " + datasource() + " is served", e);
        }
    }

    private RecordingSourceContext openSource(String rule, Map<String, Object> selector) throws Exception {
        Map<String, Object> props = new HashMap<>(sourceProps());
        props.putAll(selector);
        RecordingSourceContext context = new RecordingSourceContext(pool, rule, "source_contract");
        closing.add(context);
        context.open(components.sourceProvider().create(datasource(), props));
        Poll.until(rule + "'s connection is connected", () -> context.states().contains(Status.CONNECTED),
                context::states);
        return context;
    }

    private static void awaitMarker(RecordingSourceContext source, String marker) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + Poll.PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            String message = source.next(Duration.ofMillis(50));
            if (message != null) {
                seen.append(message).append('\n');
            }
            if ((seen + source.records.toString()).contains(marker)) {
                return;
            }
        }
        throw new AssertionError("the source did not receive " + marker + "; it received: " + seen + source.records);
    }
}
