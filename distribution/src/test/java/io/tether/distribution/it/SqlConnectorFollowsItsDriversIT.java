package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * The sql connector in the runtime: connections over REST to SQLite and to the machine's PostgreSQL (127.0.0.1:5432,
 * database test), secrets masked, bad URLs refused, connectivity checks; and its drivers as bundles: uninstalling
 * PostgreSQL's driver takes its connections down, installing it again brings them back, consumers attached.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SqlConnectorFollowsItsDriversIT {
    static final String POSTGRES = "postgres://postgres:s3cret@127.0.0.1:5432/test?sslmode=disable";
    static final String POSTGRES_DRIVER = "org.postgresql.jdbc";

    @Inject
    BundleContext context;

    Rest rest;
    final List<ConnectionHandle> handles = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(SqlConnectorFollowsItsDriversIT.class, TetherRuntime.SQL.toArray(String[]::new));
    }

    @Before
    public void setUp() {
        rest = new Rest(context);
        rest.awaitReady();
        Poll.until("type sql installed", () -> Pools.await(context).installedTypes().contains("sql"));
    }

    @After
    public void tearDown() {
        handles.forEach(ConnectionHandle::close);
        Pools.deleteAllNamed(context);
    }

    @Test
    public void connectionsOverRestWithSecretsMaskedAndBadUrlsRefused() {
        String sqlite = "sqlite:" + new File(TetherRuntime.directory(getClass()), "plant.db").getAbsolutePath();
        Rest.Response created = rest.post("/connections", json("id", "plant", "typ", "sql",
                "props", Map.of("dburl", sqlite)));
        assertEquals(created.toString(), 201, created.status());
        Pools.awaitStatus(context, "plant", Status.CONNECTED, null);

        Rest.Response pg = rest.post("/connections", json("id", "pg", "typ", "sql", "props", Map.of("dburl", POSTGRES)));
        assertEquals(pg.toString(), 201, pg.status());
        assertEquals("postgres://postgres:******@127.0.0.1:5432/test?sslmode=disable",
                pg.json().path("props").path("dburl").asText());
        Pools.awaitStatus(context, "pg", Status.CONNECTED, null);
        assertTrue(rest.get("/connections/pg").body().contains("******"));

        Rest.Response unknown = rest.post("/connections", json("id", "ora", "typ", "sql",
                "props", Map.of("dburl", "oracle://scott:tiger@db/orcl")));
        assertEquals(unknown.toString(), 400, unknown.status());
        String message = unknown.json().path("message").asText();
        assertTrue(message, message.contains("unsupported database scheme 'oracle': supported are postgres"));
        assertTrue(message, !message.contains("tiger"));
    }

    @Test
    public void connectivityChecksConnectOrSayWhy() {
        Rest.Response ok = rest.post("/metadata/sources/connection/sql", json("url", POSTGRES));
        assertEquals(ok.toString(), 200, ok.status());
        Rest.Response refused = rest.post("/metadata/sinks/connection/sql",
                json("url", "postgres://postgres@127.0.0.1:1/test"));
        assertEquals(refused.toString(), 400, refused.status());
        assertEquals(1003, refused.json().path("error").asInt());
        assertTrue(refused.body(), refused.json().path("message").asText().startsWith("Connection to 127.0.0.1:1 refused"));
    }

    @Test
    public void uninstallingThePostgresDriverTakesItsConnectionsDownAndReinstallingBringsThemBack() throws Exception {
        ConnectionPool pool = Pools.await(context);
        pool.create("pgdriver", "sql", Map.of("dburl", POSTGRES));
        Pools.awaitStatus(context, "pgdriver", Status.CONNECTED, null);
        StatusRecorder listener = new StatusRecorder();
        handles.add(pool.attach("rule1", "rule1/sink", "sql", Map.of(ConnectionPool.CONNECTION_SELECTOR, "pgdriver"),
                listener));

        Bundle driver = driverBundle();
        String location = driver.getLocation();
        int before = listener.size();
        driver.uninstall();
        Poll.until("the consumer is told the driver went",
                () -> listener.sawSince(before, Status.DISCONNECTED, "the JDBC driver for 'postgres' was removed"),
                listener::toString);
        ConnectionInfo waiting = Poll.await("no driver for the connection", Poll.PATIENCE, () -> pool.get("pgdriver")
                .filter(info -> "no JDBC driver installed for 'postgres'".equals(info.status().err())).orElse(null),
                () -> pool.get("pgdriver"));
        assertEquals(Status.DISCONNECTED, waiting.status().status());
        assertEquals(List.of("rule1"), waiting.status().refs());

        int whileGone = listener.size();
        context.installBundle(location).start();
        Pools.awaitStatus(context, "pgdriver", Status.CONNECTED, null);
        Poll.until("the consumer is told it is back", () -> listener.sawSince(whileGone, Status.CONNECTED, null),
                listener::toString);
    }

    private Bundle driverBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (POSTGRES_DRIVER.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + POSTGRES_DRIVER + " is not installed");
    }
}
