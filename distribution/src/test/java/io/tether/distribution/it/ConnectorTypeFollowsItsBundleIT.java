package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * SPEC §4: a connector type appears when its bundle starts and disappears when it stops or is uninstalled; its
 * connections park (disconnected, "not installed") with their references, and come back when the type does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorTypeFollowsItsBundleIT {

    static final String NOT_INSTALLED = "connector type 'fake' is not installed";

    @Inject
    BundleContext context;

    FakeConnector fake;
    Rest rest;
    final List<ConnectionHandle> handles = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(ConnectorTypeFollowsItsBundleIT.class);
    }

    @Before
    public void setUp() {
        fake = new FakeConnector(context);
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void tearDown() throws Exception {
        handles.forEach(ConnectionHandle::close);
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void anInstalledTypeIsUsableOverRestWithinOneSecond() {
        long start = System.nanoTime();
        fake.install();
        Rest.Response created = Poll.await("POST of a fake connection answers 201", Duration.ofSeconds(1), () -> {
            Rest.Response r = rest.post("/connections", json("id", "quick", "typ", "fake", "props", Map.of()));
            return r.status() == 201 ? r : null;
        }, () -> rest.get("/connections"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("quick", created.json().path("id").asText());
        assertTrue("usable after " + elapsedMs + " ms", elapsedMs <= 1000);
        Pools.awaitStatus(context, "quick", Status.CONNECTED, null);
    }

    @Test
    public void connectionsParkWithTheirReferencesWhileTheTypeIsGoneAndComeBackWithIt() throws Exception {
        fake.install();
        ConnectionPool pool = Pools.await(context);
        pool.create("parked", "fake", Map.of("host", "example"));
        Pools.awaitStatus(context, "parked", Status.CONNECTED, null);

        StatusRecorder listener = new StatusRecorder();
        ConnectionHandle handle = pool.attach("rule1", "rule1/source", "fake",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "parked"), listener);
        handles.add(handle);
        Poll.until("the listener is told the current status", () -> listener.sawSince(0, Status.CONNECTED, null),
                listener::toString);
        int openedBefore = fake.opened();
        assertTrue("a fake connection was opened", openedBefore >= 1);

        // the bundle goes away: the connection parks, keeps its id, props and references
        int toldBefore = listener.size();
        fake.uninstall();
        ConnectionInfo parked = Pools.awaitStatus(context, "parked", Status.DISCONNECTED, NOT_INSTALLED);
        assertEquals("fake", parked.typ());
        assertEquals("example", parked.props().get("host"));
        assertEquals(List.of("rule1"), parked.status().refs());
        assertFalse(pool.installedTypes().contains("fake"));
        Poll.until("every fake instance is closed", () -> fake.closed() == fake.created(),
                () -> fake.created() + " created, " + fake.closed() + " closed");
        Poll.until("the consumer is told it is disconnected",
                () -> listener.sawSince(toldBefore, Status.DISCONNECTED, NOT_INSTALLED), listener::toString);
        assertEquals(Status.DISCONNECTED, handle.status().status());

        // the bundle comes back: the same connection is recreated and dialled, the consumer still attached
        int toldWhileParked = listener.size();
        fake.install();
        Pools.awaitStatus(context, "parked", Status.CONNECTED, null);
        Poll.until("the consumer is told it is connected again",
                () -> listener.sawSince(toldWhileParked, Status.CONNECTED, null), listener::toString);
        assertTrue(fake.opened() > openedBefore);
        assertEquals(List.of("rule1"), pool.get("parked").orElseThrow().status().refs());
        assertEquals(Status.CONNECTED, handle.status().status());

        // the same with a stop (not an uninstall) of the bundle
        int toldBeforeStop = listener.size();
        fake.stop();
        Pools.awaitStatus(context, "parked", Status.DISCONNECTED, NOT_INSTALLED);
        fake.start();
        Pools.awaitStatus(context, "parked", Status.CONNECTED, null);
        Poll.until("the consumer saw the stop and the start",
                () -> listener.sawSince(toldBeforeStop, Status.DISCONNECTED, NOT_INSTALLED)
                        && listener.sawSince(toldBeforeStop + 1, Status.CONNECTED, null), listener::toString);
    }

    @Test
    public void aConnectionWhoseDialsFailRetriesAndConnectsWhenTheyWork() {
        fake.install();
        fake.failDials(true);
        ConnectionPool pool = Pools.await(context);
        pool.create("flaky", "fake", Map.of());
        ConnectionInfo failing = Pools.awaitStatus(context, "flaky", Status.DISCONNECTED, null);
        assertEquals("opened while dials fail: " + failing, 0, fake.opened());
        fake.failDials(false);
        Pools.awaitStatus(context, "flaky", Status.CONNECTED, null);
    }
}
