package io.tether.neuron.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HexFormat;

/**
 * One SP pipe of protocol pair v0 over a stream socket, as NNG and mangos speak it: both sides send the 8-byte
 * header {@code 00 'S' 'P' 00 | protocol:u16 BE | 00 00} at once and check the peer's; then each message is framed
 * as a 64-bit big-endian length followed by the body (TCP), or a type byte {@code 01}, the length and the body (IPC).
 * pair0 puts no protocol header in the body. A peer speaking another protocol (pair1: {@code 0x11}) is refused.
 * <p>
 * Reading is for one thread (the connection's reader); sending is thread-safe; {@link #close()} from any thread
 * ends a blocked read or send.
 */
final class SpPipe implements Closeable {
    static final int PAIR0 = 0x10;
    static final int PAIR1 = 0x11;
    private static final int HEADER_LENGTH = 8;
    private static final int READ_BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final boolean ipc;
    private final String peer;
    /** Bytes read but not yet taken, between position and limit. Only the reading thread uses it. */
    private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER).flip();
    /** Guarded by itself. */
    private final ByteBuffer frame = ByteBuffer.allocate(9);

    private SpPipe(SocketChannel channel, boolean ipc, String peer) {
        this.channel = channel;
        this.ipc = ipc;
        this.peer = peer;
    }

    /**
     * Exchanges headers on a connected channel (the listening side: tests and the benchmark's sender) within the
     * timeout, and returns the pipe in blocking mode.
     */
    static SpPipe open(SocketChannel channel, boolean ipc, String peer, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            exchangeHeaders(channel, channel.register(selector, 0), deadline, peer);
        }
        channel.configureBlocking(true);
        return new SpPipe(channel, ipc, peer);
    }

    /** Who the pipe leads to: the url. */
    String peer() {
        return peer;
    }

    /**
     * The next message's body, blocking until it is there.
     *
     * @param limit the largest body accepted: a larger one fails with {@link MessageTooLargeException}, and the caller
     *              closes the pipe (the rest of the stream cannot be read safely)
     * @throws EOFException when the peer closed the pipe
     */
    byte[] receive(int limit) throws IOException {
        fill(ipc ? 9 : 8);
        if (ipc) {
            byte type = in.get();
            if (type != 1) {
                throw new SpProtocolException(peer + " sent IPC message type " + type + ", 1 expected");
            }
        }
        long size = in.getLong();
        if (size < 0 || size > limit) {
            throw new MessageTooLargeException(size < 0 ? Long.MAX_VALUE : size, limit);
        }
        byte[] body = new byte[(int) size];
        int buffered = Math.min(in.remaining(), body.length);
        in.get(body, 0, buffered);
        ByteBuffer rest = ByteBuffer.wrap(body, buffered, body.length - buffered);
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw closedByPeer();
            }
        }
        return body;
    }

    /** Sends one message; blocks while the peer does not read (a close ends the wait). */
    void send(byte[] body) throws IOException {
        synchronized (frame) {
            frame.clear();
            if (ipc) {
                frame.put((byte) 1);
            }
            frame.putLong(body.length).flip();
            ByteBuffer[] parts = { frame, ByteBuffer.wrap(body) };
            while (frame.hasRemaining() || parts[1].hasRemaining()) {
                channel.write(parts);
            }
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SP pair0 pipe to " + peer;
    }

    private void fill(int needed) throws IOException {
        if (in.remaining() >= needed) {
            return;
        }
        in.compact();
        while (in.position() < needed) {
            if (channel.read(in) < 0) {
                throw closedByPeer();
            }
        }
        in.flip();
    }

    private EOFException closedByPeer() {
        return new EOFException(peer + " closed the pipe");
    }

    /** Sends this side's header and reads and checks the peer's, on a non-blocking channel, by the deadline. */
    static void exchangeHeaders(SocketChannel channel, SelectionKey key, long deadline, String peer)
            throws IOException {
        ByteBuffer mine = ByteBuffer.wrap(header(PAIR0));
        while (mine.hasRemaining()) {
            if (channel.write(mine) == 0) {
                await(key, SelectionKey.OP_WRITE, deadline, "the SP handshake with " + peer);
            }
        }
        ByteBuffer theirs = ByteBuffer.allocate(HEADER_LENGTH);
        while (theirs.hasRemaining()) {
            int read = channel.read(theirs);
            if (read < 0) {
                throw new EOFException(peer + " closed the link during the SP handshake");
            }
            if (read == 0) {
                await(key, SelectionKey.OP_READ, deadline, "the SP handshake with " + peer);
            }
        }
        checkHeader(theirs.array(), peer);
    }

    /** Waits for the key's channel to be ready for {@code ops}, at most until the deadline. */
    static void await(SelectionKey key, int ops, long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(what + " did not finish within the dial timeout");
        }
        key.interestOps(ops);
        try {
            key.selector().select(Math.max(1, Duration.ofNanos(left).toMillis()));
            key.selector().selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new IOException(what + " was aborted: the connection is closed", e);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(what + " was interrupted");
        }
    }

    static byte[] header(int protocol) {
        return new byte[] { 0, 'S', 'P', 0, (byte) (protocol >> 8), (byte) protocol, 0, 0 };
    }

    /** @throws SpProtocolException when the header is not an SP one, or not of pair0 */
    static void checkHeader(byte[] header, String peer) throws SpProtocolException {
        if (header[0] != 0 || header[1] != 'S' || header[2] != 'P' || header[3] != 0 || header[6] != 0
                || header[7] != 0) {
            throw new SpProtocolException(peer + " is not an SP (NNG) endpoint: it sent the header "
                    + HexFormat.of().formatHex(header) + ", 00535000xxxx0000 expected");
        }
        int protocol = (header[4] & 0xff) << 8 | header[5] & 0xff;
        if (protocol != PAIR0) {
            throw new SpProtocolException(peer + " speaks SP protocol " + name(protocol)
                    + ", not pair0 (0x0010): Neuron listens with pair v0; refused");
        }
    }

    private static String name(int protocol) {
        String id = String.format("0x%04x", protocol);
        return protocol == PAIR1 ? "pair1 (" + id + ")" : id;
    }

    static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException e) {
            // closed already
        }
    }

    /** One attempt to connect and handshake, which {@link #close()} from another thread aborts at once. */
    static final class Dial implements Closeable {
        private final SpUrl url;
        /** Guarded by this. */
        private SocketChannel channel;
        /** Guarded by this. */
        private Selector selector;
        /** Guarded by this. */
        private boolean closed;

        Dial(SpUrl url) {
            this.url = url;
        }

        /**
         * Connects and exchanges headers within the timeout.
         *
         * @throws SpProtocolException when the peer speaks another protocol
         * @throws IOException         when the peer cannot be reached in time, or the dial was closed
         */
        SpPipe connect(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            SocketChannel dialling;
            Selector waiting;
            synchronized (this) {
                if (closed) {
                    throw new IOException("the dial of " + url + " was aborted: the connection is closed");
                }
                channel = dialling = url.openChannel();
                selector = waiting = Selector.open();
            }
            try {
                dialling.configureBlocking(false);
                SelectionKey key = dialling.register(waiting, 0);
                boolean connected = dialling.connect(url.address());
                while (!connected) {
                    await(key, SelectionKey.OP_CONNECT, deadline, "connecting to " + url);
                    connected = dialling.finishConnect();
                }
                exchangeHeaders(dialling, key, deadline, url.toString());
                waiting.close();
                dialling.configureBlocking(true);
                return new SpPipe(dialling, url.ipc(), url.toString());
            } catch (IOException | RuntimeException e) {
                boolean aborted = isClosed();
                close();
                if (aborted && !(e instanceof SpProtocolException)) {
                    throw new IOException("the dial of " + url + " was aborted: the connection is closed", e);
                }
                throw e;
            }
        }

        private synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            Selector waiting;
            SocketChannel dialling;
            synchronized (this) {
                closed = true;
                waiting = selector;
                dialling = channel;
            }
            closeQuietly(waiting);
            closeQuietly(dialling);
        }
    }
}
