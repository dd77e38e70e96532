package io.tether.api.kit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;

/**
 * The TCP client link of a stateful connection that speaks lines (UTF-8 text ending in {@code \n}): what such a
 * connection's {@code dial}, {@code close} and sends need, with the threading rules kept.
 * <ul>
 * <li>{@link #connect} opens a socket within the context's dial timeout, runs the connector's handshake (each read
 * bounded by that timeout too), then starts a reader thread of its own that hands each line to the listener. It may
 * be called again after a lost link (a re-dial).</li>
 * <li>A lost link is reported to the context's status sink ({@code disconnected} with the reason), unless the link
 * was closed or replaced by a newer connect meanwhile.</li>
 * <li>{@link #send} writes lines on a writer thread of the link's own, off the caller's thread: a peer that stops
 * reading holds up no rule; the outcome completes once they are written.</li>
 * <li>{@link #close} may come at any time, during a {@code connect} too: it closes the socket the connect blocks
 * on, so the connect fails at once, and stops both threads.</li>
 * </ul>
 * The reader thread carries nothing else, so the listener may wait (for room in a rule): TCP then holds back the
 * peer.
 */
public final class LineLink implements AutoCloseable {

    /** The connector's start of a link, e.g. a login; throw to refuse the link. */
    @FunctionalInterface
    public interface Handshake {
        void run(Lines lines) throws IOException, ConnectionException;
    }

    /** The lines of the link during the handshake. */
    public interface Lines {
        /** The next line, without its end; {@code null} once the peer closed the link. */
        String read() throws IOException;

        void write(String line) throws IOException;
    }

    /** Receives each line, on the link's reader thread. */
    @FunctionalInterface
    public interface LineListener {
        /** @throws InterruptedException when the link closes meanwhile */
        void line(String line) throws InterruptedException;
    }

    private final String name;
    private final ConnectionContext context;
    private final LineListener listener;
    private final ExecutorService writer;
    private final Object lock = new Object();
    /** Guarded by lock: the socket of the latest connect. */
    private Socket socket;
    /** Guarded by lock. */
    private Thread reader;
    /** Guarded by lock. */
    private boolean closed;

    /**
     * Starts no thread and opens nothing.
     *
     * @param name what messages and {@link #toString()} call the link, e.g. {@code tcpline connection c1 to h:9000};
     *             never a secret
     */
    public LineLink(String name, ConnectionContext context, LineListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.context = Objects.requireNonNull(context, "context");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.writer = Executors.newSingleThreadExecutor(
                task -> daemon(task, "tether-line-writer-" + context.connectionId()));
    }

    /**
     * Connects, runs the handshake and starts reading. A failed connect or handshake leaves nothing open.
     *
     * @throws ConnectionException retryable for an I/O failure (refused, timed out, link closed during the
     *                             handshake), or as the handshake threw it; permanent once the link is closed
     */
    public void connect(String host, int port, Handshake handshake) throws ConnectionException {
        Socket dialling = new Socket();
        synchronized (lock) {
            if (closed) {
                throw ConnectionException.permanent(name + " is closed", null);
            }
            quietly(socket);
            socket = dialling;
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, context.dialTimeout().toMillis()));
        BufferedReader in;
        try {
            dialling.connect(new InetSocketAddress(host, port), timeout);
            dialling.setSoTimeout(timeout);
            in = new BufferedReader(new InputStreamReader(dialling.getInputStream(), UTF_8));
            OutputStream out = dialling.getOutputStream();
            handshake.run(new Lines() {
                @Override
                public String read() throws IOException {
                    return in.readLine();
                }

                @Override
                public void write(String line) throws IOException {
                    out.write((line + "\n").getBytes(UTF_8));
                    out.flush();
                }
            });
            dialling.setSoTimeout(0);
        } catch (IOException e) {
            quietly(dialling);
            throw ConnectionException.io(name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } catch (ConnectionException | RuntimeException e) {
            quietly(dialling);
            throw e;
        }
        synchronized (lock) {
            if (closed || socket != dialling) {
                quietly(dialling);
                throw ConnectionException.permanent(name + " was closed while it connected", null);
            }
            reader = daemon(() -> read(dialling, in), "tether-line-reader-" + context.connectionId());
            reader.start();
        }
    }

    /**
     * Writes each payload as a line, in order.
     *
     * @return completes once written; fails with an {@link IOException} (retryable) when the link is down or closed
     */
    public CompletableFuture<Void> send(List<byte[]> lines) {
        Socket current;
        synchronized (lock) {
            current = socket;
        }
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    if (current == null) {
                        throw new IOException(name + " is not connected");
                    }
                    OutputStream out = new BufferedOutputStream(current.getOutputStream());
                    for (byte[] line : lines) {
                        out.write(line);
                        out.write('\n');
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, writer);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException(name + " is closed"));
        }
    }

    /** Closes the socket (a connect in progress fails), stops the reader and the writer. Idempotent. */
    @Override
    public void close() {
        Socket closing;
        Thread reading;
        synchronized (lock) {
            closed = true;
            closing = socket;
            reading = reader;
            socket = null;
            reader = null;
        }
        quietly(closing);
        if (reading != null) {
            reading.interrupt();
        }
        writer.shutdownNow();
    }

    @Override
    public String toString() {
        return name;
    }

    private void read(Socket from, BufferedReader in) {
        String reason = name + ": the peer closed the link";
        try (from) {
            for (String line; (line = in.readLine()) != null; ) {
                listener.line(line);
            }
        } catch (IOException e) {
            reason = name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException closing) {
            return;
        }
        synchronized (lock) {
            if (closed || socket != from) {
                return;
            }
            socket = null;
        }
        context.statusSink().disconnected(reason);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void quietly(Socket closing) {
        if (closing != null) {
            try {
                closing.close();
            } catch (IOException alreadyClosed) {
                // nothing left to release
            }
        }
    }
}
