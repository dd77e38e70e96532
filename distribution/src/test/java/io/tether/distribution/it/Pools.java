package io.tether.distribution.it;

import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/** Looks up the pool service afresh (it goes away when the pool bundle stops) and waits for statuses. */
public final class Pools {

    public static final String POOL_BUNDLE = "tether.core.pool";

    private Pools() {
    }

    public static ConnectionPool await(BundleContext context) {
        return Poll.await("the ConnectionPool service", Poll.PATIENCE, () -> {
            ServiceReference<ConnectionPool> ref = context.getServiceReference(ConnectionPool.class);
            return ref == null ? null : context.getService(ref);
        }, () -> "");
    }

    /** Deletes every named connection, if the pool is there (cleanup between tests). */
    public static void deleteAllNamed(BundleContext context) {
        ServiceReference<ConnectionPool> ref = context.getServiceReference(ConnectionPool.class);
        ConnectionPool pool = ref == null ? null : context.getService(ref);
        if (pool != null) {
            for (ConnectionInfo info : pool.list(false)) {
                pool.delete(info.id());
            }
        }
    }

    public static Bundle poolBundle(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if (POOL_BUNDLE.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + POOL_BUNDLE + " is not installed");
    }

    /** Waits until the connection reports the state (and the error, when not null); returns what it reported. */
    public static ConnectionInfo awaitStatus(BundleContext context, String id, Status state, String err) {
        return Poll.await("connection " + id + " " + state.text() + (err == null ? "" : " (" + err + ")"),
                Poll.PATIENCE, () -> {
                    Optional<ConnectionInfo> info = await(context).get(id);
                    return info.filter(i -> i.status().status() == state
                            && (err == null || err.equals(i.status().err()))).orElse(null);
                }, () -> await(context).get(id));
    }
}
