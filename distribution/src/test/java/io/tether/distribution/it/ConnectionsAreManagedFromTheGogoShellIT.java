package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
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
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * Issue 13, part 3: the conn:* Gogo commands manage connections through the pool service that REST uses (one store,
 * secrets masked), and the shell socket ({@code tether shell}) runs them for the runtime's user only, leaving
 * neither socket nor thread behind when its bundle stops.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionsAreManagedFromTheGogoShellIT {
    private static final String SECRET = "gogo-s3cret-key";

    @Inject
    BundleContext context;

    FakeConnector fake;
    ConnectionPool pool;
    Rest rest;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CommandSession session;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(ConnectionsAreManagedFromTheGogoShellIT.class, TetherRuntime.SHELL);
    }

    @Before
    public void setUp() {
        fake = new FakeConnector(context);
        fake.install();
        pool = Pools.await(context);
        Poll.until("the fake type is installed", () -> pool.installedTypes().contains(FakeConnector.TYPE));
        rest = new Rest(context);
        rest.awaitReady();
        CommandProcessor processor = Poll.await("Gogo's command processor", Poll.PATIENCE, () -> {
            ServiceReference<CommandProcessor> ref = context.getServiceReference(CommandProcessor.class);
            return ref == null ? null : context.getService(ref);
        }, () -> "");
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(InputStream.nullInputStream(), out, out);
        Poll.until("the conn commands are registered", () -> {
            try {
                return run("conn:types").contains(FakeConnector.TYPE);
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    @After
    public void tearDown() throws Exception {
        session.close();
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void gogoCommandsManageTheSameConnectionsAsRestWithSecretsMasked() throws Exception {
        String created = run("conn:create c1 fake host=127.0.0.1 apiKey=" + SECRET
                + " optional.ClientId=client-1 'oauth={\"scopes\":[\"a\"]}'");
        assertTrue(created, created.startsWith("created c1 (fake)\n"));
        Pools.awaitStatus(context, "c1", Status.CONNECTED, null);

        String list = run("conn:list");
        assertTrue(list, list.matches("(?s)ID +TYP +STATUS +REFS +ERROR\nc1 +fake +connected +0\n"));
        String status = run("conn:status c1");
        assertTrue(status, status.contains("\"apiKey\" : \"******\""));
        assertTrue(status, status.contains("\"ClientId\" : \"client-1\""));

        JsonNode viaRest = rest.get("/connections/c1").json().get("props");
        assertEquals("127.0.0.1", viaRest.get("host").asText());
        assertEquals("client-1", viaRest.get("optional").get("ClientId").asText());
        assertEquals("a", viaRest.get("oauth").get("scopes").get(0).asText());
        assertEquals("******", viaRest.get("apiKey").asText());

        // an update names what changes; the masked secret it sends back keeps the stored one
        assertTrue(run("conn:update c1 host=127.0.0.2").startsWith("updated c1 (fake)\n"));
        Poll.until("the connector got the new props", () -> "127.0.0.2".equals(fake.lastProps().get("host")));
        assertEquals(SECRET, fake.lastProps().get("apiKey"));
        assertEquals(Map.of("ClientId", "client-1"), fake.lastProps().get("optional"));
        assertEquals("127.0.0.2", rest.get("/connections/c1").json().get("props").get("host").asText());

        assertEquals("connection type fake doesn't support ping connection", refusal("conn:check fake host=x"));
        assertEquals("connection c1 already exists", refusal("conn:create c1 fake host=y"));
        assertEquals("deleted c1\n", run("conn:delete c1"));
        assertTrue(pool.get("c1").isEmpty());
        assertEquals(404, rest.get("/connections/c1").status());

        assertFalse(printed.toString(StandardCharsets.UTF_8), printed.toString(StandardCharsets.UTF_8)
                .contains(SECRET));
    }

    @Test
    public void theShellSocketRunsCommandsForTheRuntimesUserOnlyAndGoesWithItsBundle() throws Exception {
        Path socket = ShellSocketClient.socket(
                TetherRuntime.directory(ConnectionsAreManagedFromTheGogoShellIT.class).toPath().resolve("data"));
        Poll.until("the shell socket is open", () -> Files.exists(socket));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        pool.create("s1", FakeConnector.TYPE, Map.of("host", "h", "apiKey", SECRET));
        Pools.awaitStatus(context, "s1", Status.CONNECTED, null);

        ShellSocketClient.Answer answer = ShellSocketClient.run(socket, "conn:list", "conn:status s1",
                "conn:status nope");
        assertTrue(answer.out(), answer.out().startsWith("ID  TYP   STATUS     REFS  ERROR\ns1  fake  connected  0\n"));
        assertTrue(answer.out(), answer.out().contains("\"apiKey\" : \"******\""));
        assertFalse(answer.out(), answer.out().contains(SECRET));
        assertEquals("error: connection nope not existed\n", answer.err());
        assertEquals(1, answer.status());

        Bundle shell = bundle(TetherRuntime.SHELL);
        shell.stop();
        assertFalse(Files.exists(socket));
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("tether-shell") || thread.getName().startsWith("tether-deploy")) {
                fail("thread left running: " + thread.getName());
            }
        }
        shell.start();
        Poll.until("the shell socket is open again", () -> Files.exists(socket));
        assertEquals(0, ShellSocketClient.run(socket, "conn:types").status());
        ConnectionInfo s1 = pool.get("s1").orElseThrow();
        assertEquals(Status.CONNECTED, s1.status().status());
    }

    private String run(String line) throws Exception {
        Object result = session.execute(line);
        return result == null ? "" : session.format(result, Converter.INSPECT).toString();
    }

    private String refusal(String line) {
        try {
            run(line);
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError(line + " was not refused");
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }
}
