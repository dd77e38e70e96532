package io.tether.lib.mqtt.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.tether.api.connection.ConnectionException;

/**
 * The connects of one Paho client (MQTT 3 or 5), so that the client is reset or shut down only when Paho survives it,
 * and so that a close ends a connect in progress at once.
 * <p>
 * Paho's connect thread ("MQTT Con", {@code ClientComms.ConnectBG}) opens the network module, then starts the
 * receiver, sender and callback threads one after the other, each {@code start()} polling every 100 ms until its
 * thread runs, and then queues CONNECT. A shutdown ({@code disconnectForcibly}, or a socket closed under the new
 * receiver) while one of those {@code start()} calls polls stops that thread before the poll has seen it run: the poll
 * then never ends (it ignores interrupts), and the connect thread is left behind for good, in
 * {@code CommsSender.start} most often. Shutting down is safe only while the network module starts (no thread is
 * started yet: closing its socket makes the connect thread fail and clean up by itself) or once the connect thread
 * has ended (all three threads run and stop normally). So every reset and close first {@linkplain #settle() settles}
 * the connect: aborts the module's start if it is still in progress, and waits for the connect thread to end.
 */
final class PahoConnects {
    /** Paho's thread start-up takes about 100 ms per thread; beyond this it is stuck and not waited for. */
    private static final long CONNECT_THREAD_PATIENCE_MILLIS = 5000;

    /** Serializes the client's connect starts, resets and its close. */
    private final Object shutdowns = new Object();
    /** Brings Paho back to a clean disconnected state ({@code disconnectForcibly} without DISCONNECT). */
    private final PahoCall reset;
    /** Guarded by shutdowns. */
    private boolean closed;
    /** Guarded by shutdowns. */
    private Attempt current;
    /** The connect waiting for CONNACK; guarded by shutdowns. */
    private CompletableFuture<Void> pending;

    PahoConnects(PahoCall reset) {
        this.reset = reset;
    }

    /** Starts a connect: Paho's {@code connect}, which returns once its connect thread is started. */
    interface Start {
        void connect(CompletableFuture<Void> connack) throws Exception;
    }

    /** A call to Paho. */
    interface PahoCall {
        void run() throws Exception;
    }

    /**
     * Connects and waits for CONNACK. A connect that fails or times out resets the client; a close ends the wait at
     * once, and the close shuts the client down.
     *
     * @param failure what a failure of Paho's connect means
     */
    void connect(Start start, Duration timeout, Function<Throwable, ConnectionException> failure)
            throws ConnectionException {
        CompletableFuture<Void> connack = new CompletableFuture<>();
        try {
            synchronized (shutdowns) {
                if (closed) {
                    throw closedWhileConnecting();
                }
                pending = connack;
                start.connect(connack);
            }
            connack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ConnectionException e) {
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClosedDuringConnect) {
                throw closedWhileConnecting();
            }
            reset();
            throw failure.apply(e.getCause());
        } catch (TimeoutException e) {
            reset();
            throw ConnectionException.io("no CONNACK within " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
            throw ConnectionException.io("interrupted while connecting", e);
        } catch (Exception e) {
            reset();
            throw failure.apply(e);
        }
    }

    /** The attempt the network modules Paho creates for a connect belong to; aborted already once closed. */
    Attempt nextAttempt() {
        synchronized (shutdowns) {
            current = new Attempt();
            if (closed) {
                current.abort();
            }
            return current;
        }
    }

    /**
     * Resets the client once Paho's connect thread is done, unless the client is closed (its close shuts it down):
     * drops what Paho queued while the link was down and abandons a connect still in progress.
     */
    void reset() {
        synchronized (shutdowns) {
            if (closed) {
                return;
            }
            settle();
            quietly(reset);
        }
    }

    /** Fails the connect in progress at once, then runs the shutdown once Paho's connect thread is done. */
    void close(PahoCall shutdown) {
        CompletableFuture<Void> waiting;
        synchronized (shutdowns) {
            closed = true;
            waiting = pending;
        }
        if (waiting != null) {
            waiting.completeExceptionally(new ClosedDuringConnect());
        }
        synchronized (shutdowns) {
            settle();
            quietly(shutdown);
        }
    }

    /** Guarded by shutdowns. */
    private void settle() {
        pending = null;
        if (current != null) {
            current.abortAndAwait();
            current = null;
        }
    }

    private static void quietly(PahoCall call) {
        try {
            call.run();
        } catch (Exception nothingLeftToReset) {
            // Paho refuses when it is already where the call would bring it
        }
    }

    private static ConnectionException closedWhileConnecting() {
        return ConnectionException.permanent("the client was closed while it connected", null);
    }

    /** Ends the wait for CONNACK of a connect that a close came during. */
    private static final class ClosedDuringConnect extends Exception {
        private static final long serialVersionUID = 1L;

        ClosedDuringConnect() {
            super("closed", null, false, false);
        }
    }

    /** Closes the network module's socket. */
    interface Stop {
        void stop() throws IOException;
    }

    /** One connect's network module start, as Paho's connect thread runs it. */
    static final class Attempt {
        /** Guarded by this. */
        private Thread connectThread;
        private boolean starting;
        private boolean aborted;
        private Stop stop;

        /** On Paho's connect thread, before the module starts: refuses if aborted. */
        synchronized void starting(Stop moduleStop) throws IOException {
            if (aborted) {
                throw new IOException("connect aborted: the client is closed");
            }
            connectThread = Thread.currentThread();
            starting = true;
            stop = moduleStop;
        }

        /** On Paho's connect thread, once the module started or failed: fails it if aborted meanwhile. */
        void started() throws IOException {
            boolean abort;
            synchronized (this) {
                starting = false;
                abort = aborted;
            }
            if (abort) {
                stopQuietly(stop);
                throw new IOException("connect aborted: the client is closed");
            }
        }

        private synchronized void abort() {
            aborted = true;
        }

        private void abortAndAwait() {
            Thread thread;
            Stop stopNow;
            synchronized (this) {
                aborted = true;
                thread = connectThread;
                stopNow = starting ? stop : null;
            }
            if (stopNow != null) {
                // outside the lock: a TLS socket's close may wait for its handshake to give up
                stopQuietly(stopNow);
            }
            if (thread == null) {
                return; // it will refuse to start the module, before any of Paho's threads is started
            }
            try {
                thread.join(CONNECT_THREAD_PATIENCE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void stopQuietly(Stop stop) {
            try {
                stop.stop();
            } catch (IOException | RuntimeException alreadyClosed) {
                // the connect fails all the same
            }
        }
    }
}
