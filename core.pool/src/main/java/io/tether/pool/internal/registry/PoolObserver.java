package io.tether.pool.internal.registry;

import io.tether.api.connection.ConnectionInfo;

/**
 * Told of every status change of every connection, in order per connection: as a recorder (the status events, the
 * metrics), under the pool's lock before readers see the change, so it must not block; as a follower (the status log
 * lines), afterwards on a worker. Each call carries what readers see of the connection (props and error masked) and
 * the generation of its current instance.
 */
public interface PoolObserver {
    PoolObserver NONE = new PoolObserver() {
        @Override
        public void statusChanged(ConnectionInfo connection, long generation) {
        }

        @Override
        public void removed(ConnectionInfo connection, long generation) {
        }
    };

    void statusChanged(ConnectionInfo connection, long generation);

    /** The connection is gone (deleted, or an anonymous one closed with its last reference). */
    void removed(ConnectionInfo connection, long generation);

    /** Tells each observer in turn, in the order given. */
    static PoolObserver all(PoolObserver... observers) {
        return new PoolObserver() {
            @Override
            public void statusChanged(ConnectionInfo connection, long generation) {
                for (PoolObserver observer : observers) {
                    observer.statusChanged(connection, generation);
                }
            }

            @Override
            public void removed(ConnectionInfo connection, long generation) {
                for (PoolObserver observer : observers) {
                    observer.removed(connection, generation);
                }
            }
        };
    }
}
