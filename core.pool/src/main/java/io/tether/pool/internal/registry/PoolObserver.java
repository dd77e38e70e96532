package io.tether.pool.internal.registry;

import io.tether.api.connection.ConnectionStatus;

/** Told of every status change of every connection, in order per connection (the metrics feed). */
public interface PoolObserver {
    PoolObserver NONE = new PoolObserver() {
        @Override
        public void statusChanged(String id, boolean named, ConnectionStatus status) {
        }

        @Override
        public void removed(String id, boolean named) {
        }
    };

    void statusChanged(String id, boolean named, ConnectionStatus status);

    void removed(String id, boolean named);
}
