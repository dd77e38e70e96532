package io.tether.shell.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.Status;
import io.tether.shell.internal.Gogo;
import io.tether.shell.internal.LineShell;
import io.tether.shell.internal.commands.ConnectionCommands;
import io.tether.shell.internal.commands.FakeConnector;
import io.tether.testkit.Poll;
import io.tether.testkit.TestPool;

/** {@code tether shell} (the client) against the shell socket, with Gogo and the conn:* commands over a real pool. */
class ShellSocketTest {
    @TempDir
    Path data;

    TestPool pool;
    Gogo gogo;
    ConnectionCommands commands;
    Path socket;
    ShellSocketServer server;

    @BeforeEach
    void setUp() throws IOException {
        pool = TestPool.create().addType(FakeConnector.TYPE, new FakeConnector());
        commands = new ConnectionCommands(pool);
        gogo = new Gogo().add("conn", commands);
        socket = ShellProtocol.socket(data);
        server = start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.deactivate();
        }
        commands.close();
        gogo.close();
        pool.close();
    }

    @Test
    void aCommandGivenAsArgumentsRunsInTheRuntimeAndItsStatusIsTheExitStatus() throws IOException {
        pool.create("c1", FakeConnector.TYPE, java.util.Map.of("server", "a", "secret", "s3cret"));
        pool.awaitStatus("c1", Status.CONNECTED);

        Result list = client(null, false, "--socket", socket.toString(), "conn:list");
        assertEquals(0, list.status, list.err);
        assertTrue(list.out.matches("(?s)ID +TYP +STATUS +REFS +ERROR\nc1 +fake +connected +0\n"), list.out);

        Result created = client(null, false, "--socket", socket.toString(), "conn:create", "c2", "fake",
                "server=tcp://127.0.0.1:1", "secret=s3cret", "optional={\"ClientId\": \"it's me\"}");
        assertEquals(0, created.status, created.err);
        assertFalse(created.out.contains("s3cret"), created.out);
        assertEquals(java.util.Map.of("ClientId", "it's me"), pool.info("c2").props().get("optional"));

        Result refused = client(null, false, "--socket", socket.toString(), "conn:status", "nope");
        assertEquals(1, refused.status);
        assertEquals("error: connection nope not existed\n", refused.err);
    }

    @Test
    void commandsComeFromStandardInputOneALine() throws IOException {
        Result result = client("conn:create c1 fake server=a\nconn:status nope\nconn:types\n", false,
                "--socket", socket.toString());
        assertEquals(1, result.status);
        assertTrue(result.out.startsWith("created c1 (fake)\n"), result.out);
        assertTrue(result.out.endsWith("fake\n"), result.out);
        assertEquals("error: connection nope not existed\n", result.err);
    }

    @Test
    void onATerminalTheShellPromptsUntilExit() throws IOException {
        Result result = client("conn:types\nexit\nconn:types\n", true, "--socket", socket.toString());
        assertEquals(0, result.status);
        assertEquals(LineShell.BANNER + LineShell.PROMPT + "fake\n" + LineShell.PROMPT, result.out);
    }

    @Test
    void theSocketIsTheRuntimeUsersOnlyAndGoesWithTheServerAndItsThreads() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals(0, client("conn:types\n", false, "--socket", socket.toString()).status);

        server.deactivate();
        server = null;
        assertFalse(Files.exists(socket));
        Poll.until("the shell socket's threads ended", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().matches("tether-shell-(socket|\\d+)")));
        Result unreachable = client(null, false, "--socket", socket.toString(), "conn:list");
        assertEquals(2, unreachable.status);
        assertTrue(unreachable.err.startsWith("tether shell: no Tether runtime answers on " + socket), unreachable.err);
    }

    @Test
    void aSocketFileLeftByAKilledRuntimeIsReplacedAndALiveOneIsNot() throws IOException {
        server.deactivate();
        server = null;
        // a socket file nobody listens on any more, as a SIGKILL leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(ShellProtocol.shortest(socket)));
        }
        assertTrue(Files.exists(socket));
        server = start();
        assertEquals(0, client("conn:types\n", false, "--socket", socket.toString()).status);

        IOException second = assertThrows(IOException.class, this::start);
        assertEquals("another runtime listens on the shell socket " + socket + "; this one opens none",
                second.getMessage());
        assertEquals(0, client("conn:types\n", false, "--socket", socket.toString()).status);
    }

    @Test
    void argumentsAreQuotedForGogoOnlyWhenNeeded() {
        assertEquals("conn:create c1 mqtt server=tcp://127.0.0.1:1883 'optional={\"a\": 1}'",
                ShellClient.commandLine(List.of("conn:create", "c1", "mqtt", "server=tcp://127.0.0.1:1883",
                        "optional={\"a\": 1}")));
        assertEquals("name=it\\'s\\ \\\"\\$x\\\"", ShellClient.commandLine(List.of("name=it's \"$x\"")));
    }

    private ShellSocketServer start() throws IOException {
        return new ShellSocketServer(socket, new LineShell(gogo.processor(), pool::maskSecrets));
    }

    private record Result(int status, String out, String err) {
    }

    private static Result client(String stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8));
        int status = ShellClient.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
