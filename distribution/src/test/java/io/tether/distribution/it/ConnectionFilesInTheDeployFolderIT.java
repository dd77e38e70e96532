package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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

/**
 * Issue 13, part 4: {@code deploy/<id>.connection.json} and {@code .yaml} define named connections, applied one way
 * into the pool by the deploy folder's watcher as the runtime ships it: a new file creates, an edit updates, a
 * deletion deletes (unless a rule references the connection); nested props work; nothing is written into
 * {@code deploy/}. REST, Gogo and the files change one store: the last change applied wins, and a file applies only
 * when its content changed, so an unchanged file never undoes a REST or Gogo change, also across a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionFilesInTheDeployFolderIT {
    private static final String SECRET = "file-s3cret-key";

    @Inject
    BundleContext context;

    FakeConnector fake;
    ConnectionPool pool;
    Rest rest;
    Path deploy;
    Path staging;
    /** What the test put into deploy/: the folder must hold exactly this, byte for byte. */
    final Map<String, String> written = new TreeMap<>();

    @Configuration
    public Option[] config() {
        return TetherRuntime.optionsWithDeployFolder(ConnectionFilesInTheDeployFolderIT.class, TetherRuntime.SHELL);
    }

    @Before
    public void setUp() throws IOException {
        Class<?> me = ConnectionFilesInTheDeployFolderIT.class;
        deploy = TetherRuntime.deployFolder(me).toPath();
        staging = Files.createDirectories(TetherRuntime.directory(me).toPath().resolve("staging"));
        fake = new FakeConnector(context);
        fake.install();
        pool = Pools.await(context);
        Poll.until("the fake type is installed", () -> pool.installedTypes().contains(FakeConnector.TYPE));
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void tearDown() throws Exception {
        for (String name : List.copyOf(written.keySet())) {
            delete(name);
        }
        Poll.until("the files' connections are gone", () -> pool.list(false).isEmpty() || onlyPlainConnectionsLeft());
        Pools.deleteAllNamed(context);
        fake.close();
    }

    @Test
    public void aFileCreatesItsConnectionAnEditUpdatesItAndDeletingItDeletesIt() throws Exception {
        put("f1.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"a\", \"apiKey\": \"" + SECRET
                + "\", \"optional\": {\"ClientId\": \"c1\", \"Qos\": 1}}}");
        awaitProp("f1", "host", "a");
        assertEquals(Map.of("ClientId", "c1", "Qos", 1), pool.get("f1").orElseThrow().props().get("optional"));
        assertEquals("******", pool.get("f1").orElseThrow().props().get("apiKey"));
        Poll.until("the connector got the file's props", () -> SECRET.equals(fake.lastProps().get("apiKey")));

        put("f1.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"b\", \"apiKey\": \"" + SECRET
                + "\"}}");
        awaitProp("f1", "host", "b");
        assertEquals(null, pool.get("f1").orElseThrow().props().get("optional"));

        put("f2.connection.yaml", "typ: fake\nprops:\n  host: y\n  optional:\n    ClientId: c2\n");
        awaitProp("f2", "host", "y");
        assertEquals(Map.of("ClientId", "c2"), pool.get("f2").orElseThrow().props().get("optional"));
        assertDeployFolderHoldsWhatWasWritten();

        delete("f1.connection.json");
        Poll.until("f1 is deleted with its file", () -> pool.get("f1").isEmpty());
        assertTrue(pool.get("f2").isPresent());
        assertDeployFolderHoldsWhatWasWritten();
    }

    @Test
    public void restAndGogoChangesStayUntilTheFileIsEditedAlsoAcrossARestart() throws Exception {
        put("f3.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"from-file\"}}");
        awaitProp("f3", "host", "from-file");
        assertEquals(200, rest.put("/connections/f3",
                json("typ", FakeConnector.TYPE, "props", Map.of("host", "from-rest"))).status());

        // a restart of the shell bundle (its installer remembers what it applied) and another file after it
        Bundle shell = bundle(TetherRuntime.SHELL);
        shell.stop();
        shell.start();
        awaitMarker("marker");
        assertEquals("from-rest", pool.get("f3").orElseThrow().props().get("host"));

        gogo("conn:update f3 host=from-gogo");
        assertEquals("from-gogo", pool.get("f3").orElseThrow().props().get("host"));

        put("f3.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"edited\"}}");
        awaitProp("f3", "host", "edited");
        assertDeployFolderHoldsWhatWasWritten();
    }

    @Test
    public void aReferencedConnectionStaysWhenItsFileIsDeleted() throws Exception {
        put("f4.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"r\"}}");
        awaitProp("f4", "host", "r");
        ConnectionHandle handle = pool.attach("rule-r", "", FakeConnector.TYPE,
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "f4"), (id, status) -> { });
        try {
            delete("f4.connection.json");
            awaitMarker("marker2");
            assertEquals(List.of("rule-r"), pool.get("f4").orElseThrow().status().refs());
        } finally {
            pool.detach(handle);
        }
    }

    @Test
    public void theProvisioningFileAndConnectionFilesApplyWhenTheyChangeAndTheLastChangeWins() throws Exception {
        Path provisioning = TetherRuntime.directory(ConnectionFilesInTheDeployFolderIT.class).toPath()
                .resolve("home/etc/connections/connection.yaml");
        Files.createDirectories(provisioning.getParent());
        Files.writeString(provisioning, "fake:\n  p1:\n    host: from-yaml\n");
        restartPool();
        awaitProp("p1", "host", "from-yaml");

        put("p1.connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"from-file\"}}");
        awaitProp("p1", "host", "from-file");
        // neither file changed: a restart keeps the last change, the connection file's
        restartPool();
        awaitMarker("marker3");
        assertEquals("from-file", pool.get("p1").orElseThrow().props().get("host"));

        assertEquals(200, rest.put("/connections/p1",
                json("typ", FakeConnector.TYPE, "props", Map.of("host", "from-rest"))).status());
        restartPool();
        awaitMarker("marker4");
        assertEquals("from-rest", pool.get("p1").orElseThrow().props().get("host"));

        Files.writeString(provisioning, "fake:\n  p1:\n    host: yaml-edited\n");
        restartPool();
        awaitMarker("marker5");
        assertEquals("yaml-edited", pool.get("p1").orElseThrow().props().get("host"));
        Files.delete(provisioning);
    }

    /** A restart of the pool, and so of the shell's installer (it needs the pool): both read their files again. */
    private void restartPool() throws Exception {
        Bundle poolBundle = Pools.poolBundle(context);
        poolBundle.stop();
        poolBundle.start();
        pool = Pools.await(context);
        Poll.until("the fake type is back", () -> pool.installedTypes().contains(FakeConnector.TYPE));
        rest.awaitReady();
    }

    /** A connection file written now is applied after whatever the installer had to do before. */
    private void awaitMarker(String id) throws IOException {
        put(id + ".connection.json", "{\"typ\": \"fake\", \"props\": {\"host\": \"m\"}}");
        awaitProp(id, "host", "m");
    }

    private void put(String name, String content) throws IOException {
        Path staged = Files.writeString(staging.resolve(name), content, StandardCharsets.UTF_8);
        Files.move(staged, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        written.put(name, content);
    }

    private void delete(String name) throws IOException {
        Files.deleteIfExists(deploy.resolve(name));
        written.remove(name);
    }

    private void awaitProp(String id, String prop, Object value) {
        Poll.until(id + " has " + prop + "=" + value,
                () -> pool.get(id).map(info -> value.equals(info.props().get(prop))).orElse(false),
                () -> pool.get(id).map(ConnectionInfo::props).map(Object::toString).orElse("no connection"));
    }

    private void assertDeployFolderHoldsWhatWasWritten() throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(deploy)) {
            for (Path file : files.toList()) {
                found.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals(written, found);
    }

    /** After the files are gone: a connection that stayed (referenced when its file went) is a plain one. */
    private boolean onlyPlainConnectionsLeft() {
        return pool.list(false).stream().allMatch(info -> info.id().equals("f4") || info.id().equals("p1"));
    }

    private String gogo(String line) throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))) {
            return String.valueOf(session.execute(line));
        }
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
