package io.tether.shell.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectorFactory;
import io.tether.shell.internal.commands.FakeConnector;
import io.tether.testkit.Poll;
import io.tether.testkit.TestPool;

/** Connection files applied one way into a real pool, as FileInstall reports them. */
class ConnectionFileInstallerTest {
    @TempDir
    Path deploy;
    @TempDir
    Path data;

    TestPool pool;
    ConnectionFileInstaller installer;

    @BeforeEach
    void setUp() throws IOException {
        pool = TestPool.create().addType(FakeConnector.TYPE, new FakeConnector());
        installer = new ConnectionFileInstaller(pool, data);
    }

    @AfterEach
    void tearDown() {
        installer.close();
        pool.close();
    }

    @Test
    void aJsonFileCreatesAndAnEditUpdatesItsConnectionWithNestedProps() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\","
                + " \"optional\": {\"ClientId\": \"x\", \"Qos\": 1}}}");
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "a", "optional", Map.of("ClientId", "x", "Qos", 1)));

        write("c1.connection.json", "{\"id\": \"c1\", \"typ\": \"fake\", \"props\": {\"server\": \"b\"}}");
        installer.update(file.toFile());
        awaitProps("c1", Map.of("server", "b"));
        assertEquals(List.of("c1.connection.json"), deployFolder());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve(AppliedFiles.FILE_NAME))));
    }

    @Test
    void aYamlFileWorksTooAndItsSecretsAreMaskedAsEverywhere() throws IOException {
        Path file = write("c2.connection.yaml", "typ: fake\nprops:\n  server: tcp://127.0.0.1:1883\n"
                + "  secret: s3cret\n  oauth:\n    endpoint:\n      url: http://127.0.0.1/t\n");
        installer.install(file.toFile());
        awaitProps("c2", Map.of("server", "tcp://127.0.0.1:1883", "secret", "******",
                "oauth", Map.of("endpoint", Map.of("url", "http://127.0.0.1/t"))));
    }

    @Test
    void anUnchangedFileNeverUndoesAChangeMadeSinceButAnEditedOneWins() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"from-file\"}}");
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "from-file"));
        pool.update("c1", FakeConnector.TYPE, Map.of("server", "from-rest"));

        // a restart: FileInstall reports every file again
        installer.close();
        installer = new ConnectionFileInstaller(pool, data);
        installer.install(file.toFile());
        installer.update(file.toFile());
        Path other = write("other.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"o\"}}");
        installer.install(other.toFile());
        awaitProps("other", Map.of("server", "o"));
        assertEquals(Map.of("server", "from-rest"), pool.info("c1").props());

        write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"edited\"}}");
        installer.update(file.toFile());
        awaitProps("c1", Map.of("server", "edited"));
    }

    @Test
    void deletingTheFileDeletesTheConnectionUnlessReferenced() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        Path used = write("used.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        installer.install(file.toFile());
        installer.install(used.toFile());
        awaitProps("c1", Map.of("server", "a"));
        awaitProps("used", Map.of("server", "a"));
        ConnectionHandle handle = pool.attach("rule1", "", FakeConnector.TYPE,
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "used"), (id, status) -> { });

        Files.delete(file);
        installer.uninstall(file.toFile());
        Files.delete(used);
        installer.uninstall(used.toFile());
        Poll.until("c1 deleted", () -> pool.get("c1").isEmpty());
        // the same worker handled "used" before: it stays, referenced
        assertTrue(pool.get("used").isPresent());
        pool.detach(handle);
    }

    @Test
    void aFileRemovedWhileTheRuntimeWasDownDeletesItsConnectionAtTheNextStart() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "a"));
        installer.close();
        Files.delete(file);

        installer = new ConnectionFileInstaller(pool, data);
        Poll.until("c1 deleted", () -> pool.get("c1").isEmpty());
    }

    @Test
    void aFileWaitsForItsType() throws IOException {
        pool.removeType(FakeConnector.TYPE);
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        installer.install(file.toFile());
        Path marker = write("marker.connection.json", "{\"typ\": \"other\", \"props\": {\"server\": \"m\"}}");
        installer.install(marker.toFile());
        pool.addType("other", new FakeConnector());
        installer.typeAdded(Map.of(ConnectorFactory.TYPE_PROPERTY, "other"));
        Poll.until("marker created", () -> pool.get("marker").isPresent());
        assertTrue(pool.get("c1").isEmpty());

        pool.addType(FakeConnector.TYPE, new FakeConnector());
        installer.typeAdded(Map.of(ConnectorFactory.TYPE_PROPERTY, FakeConnector.TYPE));
        awaitProps("c1", Map.of("server", "a"));
    }

    @Test
    void aFileThatCannotBeAppliedChangesNothingAndANextGoodVersionApplies() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "a"));
        for (String bad : List.of("{\"typ\": \"fake\", \"props\": {\"secret\": \"s3cret\"", "[1, 2]",
                "{\"typ\": \"fake\", \"props\": {\"secret\": \"s3cret\"}}", "{\"typ\": \"fake\", \"extra\": 1}",
                "{\"id\": \"c2\", \"typ\": \"fake\"}")) {
            write("c1.connection.json", bad);
            installer.update(file.toFile());
        }
        Path marker = write("marker.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"m\"}}");
        installer.install(marker.toFile());
        awaitProps("marker", Map.of("server", "m"));
        assertEquals(Map.of("server", "a"), pool.info("c1").props());

        write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"b\"}}");
        installer.update(file.toFile());
        awaitProps("c1", Map.of("server", "b"));
    }

    @Test
    void anUnreadableRecordOfAppliedFilesIsSetAsideAndTheFilesApplyOnceMore() throws IOException {
        Path file = write("c1.connection.json", "{\"typ\": \"fake\", \"props\": {\"server\": \"a\"}}");
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "a"));
        pool.update("c1", FakeConnector.TYPE, Map.of("server", "changed"));
        installer.close();
        Files.writeString(data.resolve(AppliedFiles.FILE_NAME), "{not json");

        installer = new ConnectionFileInstaller(pool, data);
        installer.install(file.toFile());
        awaitProps("c1", Map.of("server", "a"));
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(1, files.filter(path -> path.getFileName().toString()
                    .startsWith(AppliedFiles.FILE_NAME + ".unreadable-")).count());
        }
    }

    @Test
    void fileNamesAndIds() throws Exception {
        assertTrue(installer.canHandle(Path.of("a-b_1.connection.json").toFile()));
        assertTrue(installer.canHandle(Path.of("x.Connection.YML").toFile()));
        assertTrue(installer.canHandle(Path.of("x.connection.yaml").toFile()));
        assertFalse(installer.canHandle(Path.of(".x.connection.json").toFile()));
        assertFalse(installer.canHandle(Path.of("x.json").toFile()));
        assertFalse(installer.canHandle(Path.of("x.connection.json.part").toFile()));
        assertEquals("a-b_1", ConnectionFile.idOf("a-b_1.connection.json"));
        ConnectionFile.Invalid invalid = org.junit.jupiter.api.Assertions.assertThrows(ConnectionFile.Invalid.class,
                () -> ConnectionFile.read(write("s.connection.json", "{\"typ\": \"fake\", \"props\": {\"secret\":"
                        + " s3cret}}")));
        assertEquals("not valid JSON at line 1, column 37", invalid.getMessage());
    }

    private void awaitProps(String id, Map<String, Object> props) {
        Poll.until(id + " has props " + props,
                () -> pool.get(id).map(ConnectionInfo::props).filter(props::equals).isPresent(),
                () -> pool.get(id).map(ConnectionInfo::props).map(Object::toString).orElse("no connection"));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(deploy.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<String> deployFolder() throws IOException {
        try (Stream<Path> files = Files.list(deploy)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
