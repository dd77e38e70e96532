package io.tether.neuron.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pair0 listener in Java, built on {@link SpPipe} (what Neuron is to Tether), for tests and the benchmark: it
 * accepts pipes (a newer one replaces the older, so that a re-dial after a cut link is served at once), keeps what
 * they receive, and sends to the current one.
 */
final class PairListener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final boolean ipc;
    private final String url;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile SpPipe current;
    private volatile boolean closed;

    private PairListener(ServerSocketChannel server, boolean ipc, String url) {
        this.server = server;
        this.ipc = ipc;
        this.url = url;
        acceptor = new Thread(this::accept, "pair-listener-" + url);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static PairListener tcp(int port) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", port));
            return new PairListener(server, false, "tcp://127.0.0.1:" + server.socket().getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PairListener ipc(Path path) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            return new PairListener(server, true, "ipc://" + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return url;
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    boolean attached() {
        SpPipe pipe = current;
        return pipe != null && pipe.isOpen();
    }

    /** Sends to the current pipe; {@code false} when there is none. */
    boolean send(byte[] body) {
        SpPipe pipe = current;
        if (pipe == null) {
            return false;
        }
        try {
            pipe.send(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next message received, or {@code null} after the wait. */
    byte[] next(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel channel = server.accept();
                SpPipe pipe;
                try {
                    pipe = SpPipe.open(channel, ipc, "dialer", Duration.ofSeconds(5));
                } catch (IOException e) {
                    channel.close();
                    continue;
                }
                SpPipe previous = current;
                current = pipe;
                if (previous != null) {
                    previous.close();
                }
                Thread reader = new Thread(() -> read(pipe), "pair-listener-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(SpPipe pipe) {
        try {
            while (true) {
                received.add(pipe.receive(Integer.MAX_VALUE - 8));
            }
        } catch (IOException e) {
            pipe.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        SpPipe.closeQuietly(server);
        SpPipe pipe = current;
        if (pipe != null) {
            pipe.close();
        }
        if (ipc) {
            try {
                Files.deleteIfExists(Path.of(url.substring("ipc://".length())));
            } catch (IOException e) {
                // left for the temporary directory's cleanup
            }
        }
    }
}
