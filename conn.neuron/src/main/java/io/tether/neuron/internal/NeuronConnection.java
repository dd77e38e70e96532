package io.tether.neuron.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.kit.ConnectionScopes;
import io.tether.neuron.internal.NeuronConnectorFactory.Settings;

/**
 * One SP pair0 pipe dialled to Neuron (which listens), shared by every neuron source and sink of the connection id.
 * Stateful, its status is the pipe's: the pool dials ({@code connecting}); a finished handshake is
 * {@code connected}; a closed pipe is reported {@code disconnected} with the reason, and the pool dials again with
 * its backoff (NNG's own reconnect loop is not copied). A dial never takes longer than the context's dial timeout,
 * and a close aborts it at once.
 */
final class NeuronConnection implements Connection {
    /** What a send while no pipe is attached fails with, in eKuiper's words. */
    static final String NOT_ESTABLISHED = "nng connection is not established";
    private static final Logger LOG = LoggerFactory.getLogger(NeuronConnection.class);

    private final Settings settings;
    private final ConnectionContext context;
    private final ConnectionScopes.Lease<Set<NeuronListener>> listeners;
    /** Sends off the rule's thread: a peer that stops reading holds no rule (ConnectedSink times the send out). */
    private final ExecutorService writer;
    /** Guarded by this, with {@link #closed}: a close during a dial aborts the dial's attempt. */
    private SpPipe.Dial dialling;
    private volatile SpPipe pipe;
    private volatile boolean closed;

    NeuronConnection(Settings settings, ConnectionContext context,
            ConnectionScopes.Lease<Set<NeuronListener>> listeners) {
        this.settings = settings;
        this.context = context;
        this.listeners = listeners;
        this.writer = Executors.newSingleThreadExecutor(task -> new Thread(task, "neuron-writer-" + context.connectionId()));
    }

    @Override
    public void dial() throws ConnectionException {
        SpPipe.Dial attempt = new SpPipe.Dial(settings.url());
        synchronized (this) {
            if (closed) {
                throw ConnectionException.io(this + " is closed", null);
            }
            dialling = attempt;
        }
        SpPipe dialled;
        try {
            dialled = attempt.connect(context.dialTimeout());
        } catch (IOException e) {
            throw ConnectionException.io(describe(e), e);
        } finally {
            synchronized (this) {
                dialling = null;
            }
        }
        synchronized (this) {
            if (closed) {
                dialled.close();
                throw ConnectionException.io(this + " is closed", null);
            }
            pipe = dialled;
        }
        listeners.claim();
        new Thread(() -> read(dialled), "neuron-reader-" + context.connectionId()).start();
    }

    /** Nothing to check: the reader reports a closed pipe. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Sends each body as one message, in order; fails with an IOException (retryable) when no pipe is attached. */
    CompletableFuture<Void> send(List<byte[]> bodies) {
        try {
            return CompletableFuture.runAsync(() -> {
                SpPipe attached = pipe;
                try {
                    if (attached == null || !attached.isOpen()) {
                        throw new IOException(NOT_ESTABLISHED);
                    }
                    for (byte[] body : bodies) {
                        attached.send(body);
                    }
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, writer);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException(NOT_ESTABLISHED));
        }
    }

    @Override
    public void close() {
        SpPipe.Dial attempt;
        synchronized (this) {
            closed = true;
            attempt = dialling;
        }
        if (attempt != null) {
            attempt.close();
        }
        SpPipe attached = pipe;
        if (attached != null) {
            attached.close();
        }
        writer.shutdownNow();
        listeners.close();
    }

    @Override
    public String toString() {
        return "nng connection " + context.connectionId() + " to " + settings.url();
    }

    private void read(SpPipe from) {
        String reason;
        try {
            while (true) {
                byte[] body = from.receive(settings.recvMaxSize());
                if (listeners.isCurrent()) {
                    for (NeuronListener listener : listeners.state()) {
                        listener.message(body);
                    }
                }
            }
        } catch (MessageTooLargeException e) {
            reason = from.peer() + ": " + e.getMessage() + "; the pipe is closed";
            if (!closed && listeners.isCurrent()) {
                for (NeuronListener listener : listeners.state()) {
                    listener.failed(new IOException(reason, e));
                }
            }
        } catch (IOException e) {
            reason = describe(e);
        } finally {
            from.close();
        }
        if (closed || from != pipe) {
            return;
        }
        LOG.info("{}: pipe closed: {}", this, reason);
        context.statusSink().disconnected(reason);
    }

    private String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.contains(settings.url().toString()) ? message : settings.url() + ": " + message;
    }
}
