package com.example.tcpline.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * One client socket: {@code HELLO [password]}, answered {@code OK}; then each line the server sends goes to the
 * sources listening on the connection id, and each payload a sink sends is a line. Stateful: the reader thread reports
 * a lost link, and the pool dials again.
 */
final class TcpLineConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLineConnection.class);

    private final Peer peer;
    private final ConnectionContext context;
    private final ConnectionScopes.Lease<Set<Consumer<String>>> listeners;
    /** Writes off the rule's thread: a peer that stops reading holds no rule (ConnectedSink times the send out). */
    private final ExecutorService writer;
    /** A dial sets socket then reads closed, close() the reverse: a close during a dial closes the dial's socket. */
    private volatile Socket socket;
    private volatile boolean closed;

    TcpLineConnection(Peer peer, ConnectionContext context, ConnectionScopes.Lease<Set<Consumer<String>>> listeners) {
        this.peer = peer;
        this.context = context;
        this.listeners = listeners;
        this.writer = Executors.newSingleThreadExecutor(task -> new Thread(task, "tcpline-writer-" + context.connectionId()));
    }

    @Override
    public void dial() throws ConnectionException {
        Socket dialling = new Socket();
        socket = dialling;
        if (closed) {
            throw ConnectionException.io("closed", null);
        }
        int timeout = (int) context.dialTimeout().toMillis();
        try {
            dialling.connect(new InetSocketAddress(peer.host(), peer.port()), timeout);
            dialling.setSoTimeout(timeout);
            String hello = peer.password() == null ? "HELLO\n" : "HELLO " + peer.password() + "\n";
            dialling.getOutputStream().write(hello.getBytes(UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(dialling.getInputStream(), UTF_8));
            String answer = in.readLine();
            if (!"OK".equals(answer)) {
                dialling.close();
                throw answer == null ? ConnectionException.io(peer + " closed the link", null)
                        : ConnectionException.permanent(peer + " refused the HELLO: " + answer, null);
            }
            dialling.setSoTimeout(0);
            listeners.claim();
            new Thread(() -> read(dialling, in), "tcpline-reader-" + context.connectionId()).start();
        } catch (IOException e) {
            close(dialling);
            throw ConnectionException.io(peer + ": " + e.getMessage(), e);
        }
    }

    /** Nothing to check: the reader reports a lost link. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Sends each payload as a line, in order; fails with an IOException (retryable). */
    CompletableFuture<Void> send(List<byte[]> lines) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream());
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
            return CompletableFuture.failedFuture(new IOException(this + " is closed"));
        }
    }

    @Override
    public void close() {
        closed = true;
        close(socket);
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
            for (String line; (line = in.readLine()) != null; ) {
                if (listeners.isCurrent()) {
                    for (Consumer<String> listener : listeners.state()) {
                        listener.accept(line);
                    }
                }
            }
        } catch (IOException e) {
            reason = peer + ": " + e.getMessage();
        }
        if (closed || from != socket) {
            return;
        }
        LOG.info("{}: link lost: {}", this, reason);
        context.statusSink().disconnected(reason);
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
