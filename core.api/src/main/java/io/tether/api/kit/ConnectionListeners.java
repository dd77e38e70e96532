package io.tether.api.kit;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The consumers listening to each connection id, kept across the replacement of its instances: the common use of
 * {@link ConnectionScopes}. A source {@linkplain #listen listens} in {@code open} under its handle's
 * {@code connectionId()}; each connection instance takes a {@link Feed} of its id in {@code ConnectorFactory.create}
 * and {@linkplain Feed#deliver delivers} what it receives to whoever listens at that moment, so the instance that
 * replaces another (after an update, a re-dial on a timeout, the type's return) serves the same sources.
 *
 * @param <T> what a connection delivers (a line, a message)
 */
public final class ConnectionListeners<T> {

    /** Receives what a connection delivers, on the connection's thread. */
    @FunctionalInterface
    public interface Listener<T> {
        /** @throws InterruptedException when the connection's thread is interrupted meanwhile (it is closing) */
        void accept(T item) throws InterruptedException;
    }

    /** A listener's registration; closing it stops the listening. Idempotent. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final ConnectionScopes<Set<Listener<T>>> scopes = new ConnectionScopes<>(id -> new CopyOnWriteArraySet<>());

    /** Adds a listener of the connection id until the registration is closed. */
    public Registration listen(String connectionId, Listener<T> listener) {
        Objects.requireNonNull(listener, "listener");
        ConnectionScopes.Lease<Set<Listener<T>>> lease = scopes.acquire(connectionId);
        lease.state().add(listener);
        return new Registration() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    lease.state().remove(listener);
                    lease.close();
                }
            }
        };
    }

    /** The feed of one connection instance; the instance closes it in its {@code close()}. */
    public Feed<T> feed(String connectionId) {
        return new Feed<>(scopes.acquire(connectionId));
    }

    /** How many listen to the connection id now (for tests and diagnostics). */
    public int listening(String connectionId) {
        return scopes.find(connectionId).map(Set::size).orElse(0);
    }

    /**
     * What one connection instance delivers through. It delivers only once it {@linkplain #claim() claimed} the
     * connection id and until another instance of the id claims it (an old instance still closing during an update
     * delivers no duplicates), or it is closed.
     */
    public static final class Feed<T> implements AutoCloseable {
        private final ConnectionScopes.Lease<Set<Listener<T>>> lease;

        private Feed(ConnectionScopes.Lease<Set<Listener<T>>> lease) {
            this.lease = lease;
        }

        /** Call once the instance's link is up (in {@code dial}), before it receives anything. */
        public void claim() {
            lease.claim();
        }

        public boolean isCurrent() {
            return lease.isCurrent();
        }

        /**
         * Hands the item to every listener of the connection id, one after the other, if this feed is current. A
         * listener that fails does not keep the item from the others.
         *
         * @throws InterruptedException when the calling thread is interrupted (the connection closes)
         */
        public void deliver(T item) throws InterruptedException {
            if (!lease.isCurrent()) {
                return;
            }
            for (Listener<T> listener : lease.state()) {
                try {
                    listener.accept(item);
                } catch (RuntimeException e) {
                    System.getLogger(ConnectionListeners.class.getName()).log(System.Logger.Level.WARNING,
                            "a listener of connection " + lease.connectionId() + " failed", e);
                }
            }
        }

        @Override
        public void close() {
            lease.close();
        }
    }
}
