package com.example.tcpline.internal;

import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.kit.ConnectionScopes;

/**
 * One client socket. The client sends {@code HELLO} (or {@code HELLO <password>}), the server answers {@code OK};
 * then each line the server sends goes to the sources, and each payload a sink sends is a line. Stateful: a reader
 * thread notices a lost link and reports it, and the pool dials again.
 */
final class TcpLineConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLineConnection.class);

    private final Peer peer;
    private final ConnectionContext context;
    private final ConnectionScopes.Lease<Set<Consumer<String>>> listeners;
    /** Writes off the rule's thread: a peer that stops reading holds no rule (ConnectedSink times the send out). */
    private final ExecutorService writer;
    /** Guarded by this with {@link #closed}: a close during a dial closes the dial's socket. */
    private Socket socket;
    private boolean closed;

    TcpLineConnection(Peer peer, ConnectionContext context, ConnectionScopes.Lease<Set<Consumer<String>>> listeners) {
        this.peer = peer;
        this.context = context;
        this.listeners = listeners;
        this.writer = Executors.newSingleThreadExecutor(task -> new Thread(task, "tcpline-writer-" + context.connectionId()));
    }

    @Override
    public void dial() throws ConnectionException {
        Socket dialling = new Socket();
        synchronized (this) {
            if (closed) {
                throw ConnectionException.io("closed", null);
            }
            socket = dialling;
        }
        int timeout = (int) context.dialTimeout().toMillis();
        String answer;
        BufferedReader in;
        try {
            dialling.connect(new InetSocketAddress(peer.host(), peer.port()), timeout);
            dialling.setSoTimeout(timeout);
            in = new BufferedReader(new InputStreamReader(dialling.getInputStream(), StandardCharsets.UTF_8));
            String hello = peer.password() == null ? "HELLO" : "HELLO " + peer.password();
            write(dialling, List.of(hello.getBytes(StandardCharsets.UTF_8)));
            answer = in.readLine();
            dialling.setSoTimeout(0);
        } catch (IOException e) {
            close(dialling);
            throw ConnectionException.io(peer + ": " + e.getMessage(), e);
        }
        if (!"OK".equals(answer)) {
            close(dialling);
            throw answer == null ? ConnectionException.io(peer + " closed the link", null)
                    : ConnectionException.permanent(peer + " refused the HELLO: " + answer, null);
        }
        listeners.claim();
        new Thread(() -> read(dialling, in), "tcpline-reader-" + context.connectionId()).start();
    }

    /** Stateful: the reader reports a lost link, there is nothing to check. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Sends each payload as a line, in order; completes once written, or fails with an IOException (retryable). */
    CompletableFuture<Void> send(List<byte[]> lines) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    write(open(), lines);
                    sent.complete(null);
                } catch (IOException e) {
                    sent.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(new IOException(this + " is closed"));
        }
        return sent;
    }

    @Override
    public void close() {
        Socket open;
        synchronized (this) {
            closed = true;
            open = socket;
        }
        close(open);
        writer.shutdownNow();
        listeners.close();
    }

    @Override
    public String toString() {
        return "tcpline connection " + context.connectionId() + " to " + peer;
    }

    private void read(Socket from, BufferedReader in) {
        String reason = peer + " closed the link";
        try (from) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (listeners.isCurrent()) {
                    String received = line;
                    listeners.state().forEach(listener -> listener.accept(received));
                }
            }
        } catch (IOException e) {
            reason = peer + ": " + e.getMessage();
        }
        synchronized (this) {
            if (closed || from != socket) {
                return;
            }
        }
        LOG.info("{}: link lost: {}", this, reason);
        context.statusSink().disconnected(reason);
    }

    private synchronized Socket open() throws IOException {
        if (closed) {
            throw new IOException(this + " is closed");
        }
        return socket;
    }

    private static void write(Socket to, List<byte[]> lines) throws IOException {
        OutputStream out = new BufferedOutputStream(to.getOutputStream());
        for (byte[] line : lines) {
            out.write(line);
            out.write('\n');
        }
        out.flush();
    }

    private static void close(Socket closing) {
        try {
            if (closing != null) {
                closing.close();
            }
        } catch (IOException e) {
            // closed already
        }
    }
}
