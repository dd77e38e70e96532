package io.tether.neuron.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire, byte for byte, against a raw socket playing the peer. */
class SpPipeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private ServerSocketChannel server;

    @TempDir
    Path directory;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private SpUrl tcpServer() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        return SpUrl.parse("tcp://127.0.0.1:" + server.socket().getLocalPort());
    }

    private SpUrl ipcServer() throws IOException {
        Path path = directory.resolve("neuron.ipc");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        return SpUrl.parse("ipc://" + path);
    }

    private CompletableFuture<SpPipe> dial(SpUrl url, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new SpPipe.Dial(url).connect(timeout);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static byte[] read(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("EOF after " + buffer.position() + " bytes");
            }
        }
        return buffer.array();
    }

    private static void write(SocketChannel channel, String hex) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void tcpHandshakeAndFramingAreNngs() throws Exception {
        SpUrl url = tcpServer();
        CompletableFuture<SpPipe> dialled = dial(url, TIMEOUT);
        try (SocketChannel peer = server.accept()) {
            assertEquals("0053500000100000", hex(read(peer, 8)));
            write(peer, "0053500000100000");
            try (SpPipe pipe = dialled.get(5, TimeUnit.SECONDS)) {
                pipe.send("hello".getBytes(UTF_8));
                assertEquals("0000000000000005" + hex("hello".getBytes(UTF_8)), hex(read(peer, 13)));
                write(peer, "0000000000000005" + hex("world".getBytes(UTF_8)) + "0000000000000000");
                assertArrayEquals("world".getBytes(UTF_8), pipe.receive(1024));
                assertArrayEquals(new byte[0], pipe.receive(1024));
            }
        }
    }

    @Test
    void ipcFramingHasTheTypeByte() throws Exception {
        SpUrl url = ipcServer();
        CompletableFuture<SpPipe> dialled = dial(url, TIMEOUT);
        try (SocketChannel peer = server.accept()) {
            assertEquals("0053500000100000", hex(read(peer, 8)));
            write(peer, "0053500000100000");
            try (SpPipe pipe = dialled.get(5, TimeUnit.SECONDS)) {
                pipe.send("hello".getBytes(UTF_8));
                assertEquals("01" + "0000000000000005" + hex("hello".getBytes(UTF_8)), hex(read(peer, 14)));
                write(peer, "01" + "0000000000000002" + "7b7d");
                assertArrayEquals("{}".getBytes(UTF_8), pipe.receive(1024));
                write(peer, "02" + "0000000000000000");
                assertThrows(SpProtocolException.class, () -> pipe.receive(1024));
            }
        }
    }

    @Test
    void aPair1PeerIsRefusedWithTheProtocolError() throws Exception {
        SpUrl url = tcpServer();
        CompletableFuture<SpPipe> dialled = dial(url, TIMEOUT);
        try (SocketChannel peer = server.accept()) {
            write(peer, "0053500000110000");
            ExecutionException failed = assertThrows(ExecutionException.class, () -> dialled.get(5, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getCause() instanceof SpProtocolException, failed.toString());
            assertEquals(url + " speaks SP protocol pair1 (0x0011), not pair0 (0x0010): Neuron listens with pair v0;"
                    + " refused", failed.getCause().getCause().getMessage());
        }
    }

    @Test
    void aPeerThatIsNotSpIsRefused() throws Exception {
        SpUrl url = tcpServer();
        CompletableFuture<SpPipe> dialled = dial(url, TIMEOUT);
        try (SocketChannel peer = server.accept()) {
            write(peer, hex("HTTP/1.1".getBytes(UTF_8)));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> dialled.get(5, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getCause().getMessage().contains("is not an SP (NNG) endpoint"),
                    failed.toString());
        }
    }

    @Test
    void aMessageOverTheLimitFailsBeforeItsBodyIsRead() throws Exception {
        SpUrl url = tcpServer();
        CompletableFuture<SpPipe> dialled = dial(url, TIMEOUT);
        try (SocketChannel peer = server.accept()) {
            write(peer, "0053500000100000" + "0000000000000065");
            try (SpPipe pipe = dialled.get(5, TimeUnit.SECONDS)) {
                MessageTooLargeException failed = assertThrows(MessageTooLargeException.class, () -> pipe.receive(100));
                assertEquals("a message of 101 bytes is over the receive limit of 100 bytes (recvMaxSize)",
                        failed.getMessage());
            }
        }
    }

    @Test
    void aSilentPeerTimesTheDialOut() throws Exception {
        SpUrl url = tcpServer();
        long start = System.nanoTime();
        CompletableFuture<SpPipe> dialled = dial(url, Duration.ofMillis(300));
        try (SocketChannel peer = server.accept()) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> dialled.get(5, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getCause() instanceof SocketTimeoutException, failed.toString());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "bounded by the dial timeout");
        }
    }

    @Test
    void aCloseAbortsADialAtOnce() throws Exception {
        SpUrl url = tcpServer();
        SpPipe.Dial attempt = new SpPipe.Dial(url);
        CompletableFuture<SpPipe> dialled = CompletableFuture.supplyAsync(() -> {
            try {
                return attempt.connect(Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (SocketChannel peer = server.accept()) {
            read(peer, 8);
            attempt.close();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> dialled.get(2, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("aborted"), failed.toString());
        }
    }

    @Test
    void anInterruptEndsADial() throws Exception {
        SpUrl url = tcpServer();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread dialling = new Thread(() -> {
            try (SpPipe pipe = new SpPipe.Dial(url).connect(Duration.ofSeconds(30))) {
                outcome.complete(null);
            } catch (IOException e) {
                outcome.complete(e);
            }
        });
        dialling.start();
        try (SocketChannel peer = server.accept()) {
            read(peer, 8);
            dialling.interrupt();
            Throwable failed = outcome.get(2, TimeUnit.SECONDS);
            assertTrue(failed instanceof InterruptedIOException, String.valueOf(failed));
        }
    }
}
