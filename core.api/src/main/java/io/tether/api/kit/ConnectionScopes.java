package io.tether.api.kit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * State that belongs to a connection id rather than to one instance of the connection: what the consumers attached
 * to it set up (subscriptions), or what must survive an update (a generated client id). The pool replaces a
 * connection's instance when the connection is updated, re-created after its type came back, or its dial timed
 * out; the new instance finds the state here, where the consumers left it.
 * <p>
 * Each instance (in {@code ConnectorFactory.create}) and each consumer (in {@code open}, under the handle's
 * {@code connectionId()}) {@link #acquire acquires} a {@link Lease} and closes it when done (the instance in
 * {@code close()}, the consumer in its own {@code close()}). The state is created at the first acquire and dropped,
 * with the release action, when the last lease is closed. Thread-safe.
 * <p>
 * While an update runs, the old instance may still be closing when the new one is up: both may receive the same
 * message. An instance that {@link Lease#claim claims} its lease once dialled, and hands on only while
 * {@link Lease#isCurrent()}, skips such duplicates.
 *
 * @param <S> the state, shared by every holder of one connection id: make it thread-safe
 */
public final class ConnectionScopes<S> {
    private final Function<String, ? extends S> create;
    private final Consumer<? super S> release;
    /** Guarded by itself. */
    private final Map<String, Scope<S>> scopes = new HashMap<>();

    /** @param create makes the state of a connection id at its first acquire, under this registry's lock: keep it short */
    public ConnectionScopes(Function<String, ? extends S> create) {
        this(create, state -> {
        });
    }

    /**
     * @param create  makes the state of a connection id at its first acquire, under this registry's lock
     * @param release runs once the last lease of an id is closed, outside the lock (e.g. stops what the state runs)
     */
    public ConnectionScopes(Function<String, ? extends S> create, Consumer<? super S> release) {
        this.create = Objects.requireNonNull(create, "create");
        this.release = Objects.requireNonNull(release, "release");
    }

    /** Holds the state of the connection id, creating it when nobody holds it; close the lease to let go. */
    public Lease<S> acquire(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        synchronized (scopes) {
            Scope<S> scope = scopes.get(connectionId);
            if (scope == null) {
                scope = new Scope<>(connectionId, Objects.requireNonNull(create.apply(connectionId), "state"));
                scopes.put(connectionId, scope);
            }
            scope.holders++;
            return new Lease<>(this, scope);
        }
    }

    /** The state of the connection id while someone holds it, without holding it (for diagnostics and tests). */
    public Optional<S> find(String connectionId) {
        synchronized (scopes) {
            return Optional.ofNullable(scopes.get(connectionId)).map(Scope::state);
        }
    }

    private void release(Scope<S> scope) {
        synchronized (scopes) {
            if (--scope.holders > 0) {
                return;
            }
            scopes.remove(scope.connectionId, scope);
        }
        release.accept(scope.state);
    }

    private static final class Scope<S> {
        final String connectionId;
        final S state;
        /** Guarded by the registry's lock. */
        int holders;
        final AtomicReference<Lease<S>> current = new AtomicReference<>();

        Scope(String connectionId, S state) {
            this.connectionId = connectionId;
            this.state = state;
        }

        S state() {
            return state;
        }
    }

    /** One instance's or consumer's hold on a connection id's state. Closing it is idempotent. */
    public static final class Lease<S> implements AutoCloseable {
        private final ConnectionScopes<S> owner;
        private final Scope<S> scope;
        private volatile boolean closed;

        private Lease(ConnectionScopes<S> owner, Scope<S> scope) {
            this.owner = owner;
            this.scope = scope;
        }

        public String connectionId() {
            return scope.connectionId;
        }

        /** The shared state; still readable after close, but no longer kept for the next holder. */
        public S state() {
            return scope.state;
        }

        /**
         * Makes this lease the current one of its connection id: an instance calls it when its dial succeeded, so
         * that an older instance still closing sees {@link #isCurrent()} turn {@code false}.
         */
        public void claim() {
            if (!closed) {
                scope.current.set(this);
            }
        }

        /** {@code true} from {@link #claim()} until another lease of the id claims, or this one is closed. */
        public boolean isCurrent() {
            return !closed && scope.current.get() == this;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            scope.current.compareAndSet(this, null);
            owner.release(scope);
        }
    }
}
