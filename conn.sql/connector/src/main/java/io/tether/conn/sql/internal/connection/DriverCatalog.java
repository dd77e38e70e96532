package io.tether.conn.sql.internal.connection;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The JDBC drivers installed now, as the OSGi {@link DataSourceFactory} services of their bundles, best ranked first;
 * and the connections to tell when one comes or goes.
 */
public final class DriverCatalog {

    /** Told of drivers coming and going, on the thread of the service event: it must not block. */
    public interface Listener {
        void driverAdded();

        void driverRemoved(DataSourceFactory driver);
    }

    private record Driver(DataSourceFactory factory, int ranking, long serviceId) {
    }

    private static final Comparator<Driver> BEST_FIRST = Comparator.comparingInt(Driver::ranking).reversed()
            .thenComparingLong(Driver::serviceId);

    private final List<Driver> drivers = new CopyOnWriteArrayList<>();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

    public void add(DataSourceFactory factory, int ranking, long serviceId) {
        synchronized (drivers) {
            drivers.add(new Driver(factory, ranking, serviceId));
            drivers.sort(BEST_FIRST);
        }
        listeners.forEach(Listener::driverAdded);
    }

    public void remove(DataSourceFactory factory) {
        drivers.removeIf(driver -> driver.factory() == factory);
        listeners.forEach(listener -> listener.driverRemoved(factory));
    }

    /** The best-ranked driver that accepts the JDBC URL, if one is installed. */
    public Optional<DataSourceFactory> find(String jdbcUrl) {
        return drivers.stream().map(Driver::factory).filter(factory -> accepts(factory, jdbcUrl)).findFirst();
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    public void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    private static boolean accepts(DataSourceFactory factory, String jdbcUrl) {
        try {
            return factory.createDriver(null).acceptsURL(jdbcUrl);
        } catch (SQLException | RuntimeException | LinkageError e) {
            // a driver whose bundle is going away fails with class loading errors
            return false;
        }
    }
}
