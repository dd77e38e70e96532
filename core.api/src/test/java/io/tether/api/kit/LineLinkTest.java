package io.tether.api.kit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.StatusSink;

class LineLinkTest {
    private ServerSocket server;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> losses = new LinkedBlockingQueue<>();
    private LineLink link;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        link = new LineLink("line link to test", context(Duration.ofSeconds(5)), lines::put);
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        server.close();
    }

    @Test
    void theHandshakeRunsThenLinesFlowBothWays() throws Exception {
        CompletableFuture<String> hello = new CompletableFuture<>();
        CompletableFuture<Peer> peer = accept().thenApply(accepted -> {
            try {
                hello.complete(accepted.in.readLine());
                accepted.out.write("OK\n".getBytes(UTF_8));
                accepted.out.flush();
                return accepted;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        link.connect("127.0.0.1", server.getLocalPort(), handshake -> {
            handshake.write("HELLO");
            assertEquals("OK", handshake.read());
        });
        assertEquals("HELLO", hello.get(5, TimeUnit.SECONDS));
        Peer accepted = peer.get(5, TimeUnit.SECONDS);
        accepted.out.write("one\ntwo\n".getBytes(UTF_8));
        accepted.out.flush();
        assertEquals("one", lines.poll(5, TimeUnit.SECONDS));
        assertEquals("two", lines.poll(5, TimeUnit.SECONDS));
        link.send(List.of("a".getBytes(UTF_8), "b".getBytes(UTF_8))).get(5, TimeUnit.SECONDS);
        assertEquals("a", accepted.in.readLine());
        assertEquals("b", accepted.in.readLine());
        accepted.socket.close();
    }

    @Test
    void aLostLinkIsReportedOnceAndASecondConnectRestoresIt() throws Exception {
        CompletableFuture<Peer> first = accept();
        link.connect("127.0.0.1", server.getLocalPort(), handshake -> handshake.write("HELLO"));
        first.get(5, TimeUnit.SECONDS).socket.close();
        assertEquals("line link to test: the peer closed the link", losses.poll(5, TimeUnit.SECONDS));
        ExecutionException notConnected = assertThrows(ExecutionException.class,
                () -> link.send(List.of("x".getBytes(UTF_8))).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, notConnected.getCause());

        CompletableFuture<Peer> second = accept();
        link.connect("127.0.0.1", server.getLocalPort(), handshake -> handshake.write("HELLO"));
        Peer again = second.get(5, TimeUnit.SECONDS);
        again.out.write("back\n".getBytes(UTF_8));
        again.out.flush();
        assertEquals("back", lines.poll(5, TimeUnit.SECONDS));
        assertNull(losses.poll(100, TimeUnit.MILLISECONDS));
        again.socket.close();
    }

    @Test
    void aRefusedHandshakeClosesTheSocketAndKeepsTheConnectorsReason() throws Exception {
        CompletableFuture<Peer> peer = accept();
        ConnectionException refused = assertThrows(ConnectionException.class,
                () -> link.connect("127.0.0.1", server.getLocalPort(), handshake -> {
                    throw ConnectionException.permanent("wrong password", null);
                }));
        assertEquals("wrong password", refused.getMessage());
        assertFalse(refused.isRetryable());
        assertNull(peer.get(5, TimeUnit.SECONDS).in.readLine(), "the link's socket is closed");
    }

    @Test
    void aCloseDuringTheHandshakeEndsTheConnectAtOnceAndLeavesNoThread() throws Exception {
        CompletableFuture<Peer> silent = accept();
        CompletableFuture<ConnectionException> connect = CompletableFuture.supplyAsync(() -> {
            try {
                link.connect("127.0.0.1", server.getLocalPort(), handshake -> handshake.read());
                return null;
            } catch (ConnectionException e) {
                return e;
            }
        });
        silent.get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        link.close();
        ConnectionException aborted = connect.get(5, TimeUnit.SECONDS);
        assertTrue(aborted != null && aborted.isRetryable(), String.valueOf(aborted));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("tether-line-reader-test")));
        assertThrows(ConnectionException.class,
                () -> link.connect("127.0.0.1", server.getLocalPort(), handshake -> { }));
    }

    @Test
    void aSilentPeerFailsTheHandshakeWithinTheDialTimeout() throws Exception {
        link = new LineLink("slow link", context(Duration.ofMillis(300)), lines::put);
        accept();
        long start = System.nanoTime();
        ConnectionException timedOut = assertThrows(ConnectionException.class,
                () -> link.connect("127.0.0.1", server.getLocalPort(), handshake -> handshake.read()));
        assertTrue(timedOut.isRetryable());
        assertTrue(timedOut.getMessage().startsWith("slow link: "), timedOut.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
    }

    private record Peer(Socket socket, BufferedReader in, OutputStream out) {
    }

    private CompletableFuture<Peer> accept() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket socket = server.accept();
                return new Peer(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)),
                        socket.getOutputStream());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ConnectionContext context(Duration dialTimeout) {
        return new ConnectionContext() {
            @Override
            public String connectionId() {
                return "test";
            }

            @Override
            public StatusSink statusSink() {
                return new StatusSink() {
                    @Override
                    public void connected() {
                    }

                    @Override
                    public void disconnected(String reason) {
                        losses.add(reason);
                    }

                    @Override
                    public void retryNow() {
                    }
                };
            }

            @Override
            public Duration dialTimeout() {
                return dialTimeout;
            }
        };
    }
}
