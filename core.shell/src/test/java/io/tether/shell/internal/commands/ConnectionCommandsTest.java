package io.tether.shell.internal.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.Status;
import io.tether.shell.internal.Gogo;
import io.tether.testkit.TestPool;

/** The conn:* commands typed into Gogo's own parser, over a real pool. */
class ConnectionCommandsTest {
    private static final String SECRET = "s3cret-Value";

    TestPool pool;
    Gogo gogo;
    ConnectionCommands commands;

    @BeforeEach
    void setUp() {
        pool = TestPool.create().addType(FakeConnector.TYPE, new FakeConnector());
        commands = new ConnectionCommands(pool);
        gogo = new Gogo().add("conn", commands);
    }

    @AfterEach
    void tearDown() {
        commands.close();
        gogo.close();
        pool.close();
    }

    @Test
    void createTakesKeyValuePropsWithNestedOnesAndShowsTheConnectionWithSecretsMasked() throws Exception {
        String created = gogo.run("conn:create c1 fake server=tcp://127.0.0.1:1883 secret=" + SECRET
                + " qos=1 optional.ClientId=client-1 'oauth={\"scopes\":[\"a\",\"b\"]}'");
        assertTrue(created.startsWith("created c1 (fake)\n"), created);
        assertFalse(created.contains(SECRET), created);
        assertEquals(Map.of("server", "tcp://127.0.0.1:1883", "secret", "******", "qos", 1,
                "optional", Map.of("ClientId", "client-1"), "oauth", Map.of("scopes", List.of("a", "b"))),
                pool.info("c1").props());
        pool.awaitStatus("c1", Status.CONNECTED);

        String status = gogo.run("conn:status c1");
        assertTrue(status.contains("status             connected\n"), status);
        assertTrue(status.contains("\"secret\" : \"******\""), status);
        assertTrue(status.contains("\"ClientId\" : \"client-1\""), status);
        assertFalse(status.contains(SECRET), status);
    }

    @Test
    void listIsATableOfIdTypeStatusRefsAndError() throws Exception {
        assertEquals("no named connections\n", gogo.run("conn:list"));
        gogo.run("conn:create good fake server=a");
        gogo.run("conn:create bad fake server=tcp://user:" + SECRET + "@127.0.0.1 fail=true");
        pool.awaitStatus("good", Status.CONNECTED);
        pool.awaitStatus("bad", Status.DISCONNECTED, "refused");

        String list = gogo.run("conn:list");
        List<String> lines = list.lines().toList();
        assertEquals(List.of("ID", "TYP", "STATUS", "REFS", "ERROR"), List.of(lines.get(0).split(" +")));
        // a connection that never connected is disconnected between its dials and connecting during them
        assertTrue(lines.get(1).matches(
                "bad +fake +(disconnected|connecting) +0 +refused by tcp://user:\\*{6}@127\\.0\\.0\\.1"), list);
        assertTrue(lines.get(2).matches("good +fake +connected +0"), list);
        assertEquals(3, lines.size());
        int statusColumn = lines.get(0).indexOf("STATUS");
        assertEquals(statusColumn, lines.get(1).indexOf("connect") - (lines.get(1).contains("disconnected") ? 3 : 0));
        assertEquals(List.of("ID", "TYP", "STATUS", "REFS", "NAMED", "ERROR"),
                List.of(gogo.run("conn:list --all").lines().findFirst().orElseThrow().split(" +")));
    }

    @Test
    void updateChangesTheGivenPropsKeepsTheOthersAndTheStoredSecret() throws Exception {
        gogo.run("conn:create c1 fake server=a secret=" + SECRET + " optional.ClientId=x optional.Qos=0");
        String updated = gogo.run("conn:update c1 server=b optional.Qos=1");
        assertTrue(updated.startsWith("updated c1 (fake)\n"), updated);
        assertEquals(Map.of("server", "b", "secret", "******", "optional", Map.of("ClientId", "x", "Qos", 1)),
                pool.info("c1").props());

        gogo.run("conn:update c1 optional=null");
        assertEquals(Map.of("server", "b", "secret", "******"), pool.info("c1").props());

        gogo.run("conn:update --replace c1 server=c");
        assertEquals(Map.of("server", "c"), pool.info("c1").props());
    }

    @Test
    void deleteRemovesAndSaysWhenThereWasNothing() throws Exception {
        gogo.run("conn:create c1 fake server=a");
        assertEquals("deleted c1\n", gogo.run("conn:delete c1"));
        assertTrue(pool.list(true).isEmpty());
        assertEquals("no connection c1: nothing deleted\n", gogo.run("conn:delete c1"));
    }

    @Test
    void checkAndTypes() throws Exception {
        assertEquals("fake\n", gogo.run("conn:types"));
        assertTrue(gogo.run("conn:check fake server=a").startsWith("fake: connected in "));
        CommandFailure unreachable = assertThrows(CommandFailure.class,
                () -> gogo.run("conn:check --timeout 1000 fake server=tcp://u:" + SECRET + "@h fail=true"));
        assertEquals("refused by tcp://u:******@h", unreachable.getMessage());
        assertTrue(pool.list(true).isEmpty());
    }

    @Test
    void refusalsAreThePoolsMessagesAndChangeNothing() throws Exception {
        assertEquals("connection nope not existed",
                assertThrows(CommandFailure.class, () -> gogo.run("conn:status nope")).getMessage());
        String invalid = assertThrows(CommandFailure.class, () -> gogo.run("conn:create c1 fake secret=" + SECRET))
                .getMessage();
        assertTrue(invalid.contains("server is required"), invalid);
        assertFalse(invalid.contains(SECRET), invalid);
        assertTrue(assertThrows(CommandFailure.class, () -> gogo.run("conn:create c1 nosuchtype server=a"))
                .getMessage().startsWith("connector type 'nosuchtype' is not installed"));
        assertEquals("expected key=value, got 'server'",
                assertThrows(CommandFailure.class, () -> gogo.run("conn:create c1 fake server")).getMessage());
        assertTrue(pool.list(true).isEmpty());
    }
}
