package io.tether.conn.sql.internal.connection;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.StatusSink;

/**
 * One sql connection: a HikariCP pool over a data source of the driver that accepts the URL. Stateless: the pool
 * pings it. A failed ping closes the Hikari pool, so that no client-side retry loop runs during an outage; the next
 * dial opens a new one.
 *
 * <p>It follows the drivers: when its dial failed for want of a driver and one appears, it asks the pool to dial
 * again at once (rather than after the next backoff step); when the driver it uses goes away, it closes and reports
 * the link lost.
 */
public final class SqlConnection implements Connection, DriverCatalog.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SqlConnection.class);

    private final String id;
    private final SqlSettings settings;
    private final DriverCatalog drivers;
    private final StatusSink status;
    /**
     * The longest wait of a ping's check (and of Hikari's check of a pooled connection): whole seconds, as
     * {@code isValid} counts them, below the pool's ping bound, so that a failing ping reports the driver's reason
     * rather than the pool's time-out; at least 1 s.
     */
    private final Duration pingWait;

    private final Object lock = new Object();
    /** The open pool, or {@code null}. Guarded by {@link #lock}, as the two fields below. */
    private HikariDataSource pool;
    /** The driver {@link #pool} was made with. */
    private DataSourceFactory driver;
    /** The last dial found no driver: one appearing is worth an attempt at once. */
    private boolean waitingForDriver;
    private boolean closed;
    /** The dial in progress, or {@code null}. */
    private Dial dialling;

    SqlConnection(SqlSettings settings, DriverCatalog drivers, ConnectionContext context) {
        this.id = context.connectionId();
        this.settings = settings;
        this.drivers = drivers;
        this.status = context.statusSink();
        this.pingWait = Duration.ofSeconds(Math.max(1, (context.pingTimeout().toMillis() - 1) / 1000));
        drivers.listen(this);
    }

    /** A connection of the pool, to be closed after use. Waits at most {@code connectionTimeout}. */
    public java.sql.Connection borrow() throws SQLException {
        HikariDataSource current;
        synchronized (lock) {
            current = pool;
        }
        if (current == null) {
            throw new SQLTransientConnectionException("sql connection " + id + " is not open", "08003");
        }
        try {
            return current.getConnection();
        } catch (SQLException e) {
            if (current.isClosed()) {
                // a failed ping or a removed driver closed the pool meanwhile: an outage, not a fault of the caller
                throw new SQLTransientConnectionException("sql connection " + id + " is not open", "08003", e);
            }
            throw e;
        }
    }

    /** Whether the database keeps date-times as text, so date-time parameters are bound as text. */
    public boolean textDatetimes() {
        return settings.url().textDatetimes();
    }

    /** The password, for scrubbing it out of driver messages. */
    public String password() {
        return settings.url().password();
    }

    /**
     * Opens the pool, outside the lock: a close (or the driver's removal) meanwhile does not wait for the dial but
     * aborts it (the probe's connection is aborted, a pool opened after all is closed) and the dial fails at once, or
     * as soon as the driver's bounded login gives up.
     */
    @Override
    public void dial() throws ConnectionException {
        Dial dial;
        synchronized (lock) {
            if (closed) {
                throw closedFailure();
            }
            if (pool != null) {
                return;
            }
            DataSourceFactory factory = drivers.find(settings.url().jdbcUrl()).orElse(null);
            waitingForDriver = factory == null;
            if (factory == null) {
                throw ConnectionException.missingResource(
                        "no JDBC driver installed for '" + settings.url().scheme() + "'");
            }
            dial = new Dial(factory);
            dialling = dial;
        }
        HikariDataSource opened;
        try {
            opened = open(dial);
        } catch (ConnectionException e) {
            synchronized (lock) {
                dialling = null;
            }
            throw dial.abortedBecause().orElse(e);
        }
        synchronized (lock) {
            dialling = null;
            if (dial.abortedBecause().isEmpty()) {
                pool = opened;
                driver = dial.factory;
                return;
            }
        }
        opened.close();
        throw dial.abortedBecause().get();
    }

    @Override
    public void ping() throws ConnectionException {
        HikariDataSource current;
        synchronized (lock) {
            current = pool;
        }
        if (current == null) {
            throw ConnectionException.io("sql connection " + id + " is not open", null);
        }
        try (java.sql.Connection connection = current.getConnection()) {
            int seconds = (int) pingWait.toSeconds();
            if (!connection.isValid(seconds)) {
                throw new SQLException("the database did not answer within " + seconds + " s");
            }
        } catch (SQLException e) {
            closePool(current);
            throw ConnectionException.io(Failures.message(e, password()), null);
        }
    }

    @Override
    public void close() {
        HikariDataSource current;
        Dial dial;
        synchronized (lock) {
            closed = true;
            current = pool;
            pool = null;
            driver = null;
            dial = dialling;
        }
        drivers.unlisten(this);
        if (dial != null) {
            dial.abort(closedFailure());
        }
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void driverAdded() {
        synchronized (lock) {
            if (!waitingForDriver || closed || pool != null) {
                return;
            }
        }
        status.retryNow();
    }

    @Override
    public void driverRemoved(DataSourceFactory removed) {
        String reason = "the JDBC driver for '" + settings.url().scheme() + "' was removed";
        HikariDataSource current = null;
        Dial dial = null;
        synchronized (lock) {
            if (dialling != null && dialling.factory == removed) {
                dial = dialling;
            } else if (driver == removed && pool != null) {
                current = pool;
                pool = null;
                driver = null;
            } else {
                return;
            }
            waitingForDriver = true;
        }
        if (dial != null) {
            dial.abort(ConnectionException.missingResource(reason));
            return;
        }
        current.close();
        LOG.info("Connection {} closed: the JDBC driver for '{}' was removed", id, settings.url().scheme());
        status.disconnected(reason);
    }

    /** Opens a Hikari pool after a bounded connect test that reports the driver's own reason. */
    private HikariDataSource open(Dial dial) throws ConnectionException {
        DatabaseUrl url = settings.url();
        try {
            DataSource dataSource = DataSources.create(dial.factory, url, settings.connectionTimeout());
            DataSources.probe(dataSource, settings.connectionTimeout(), dial::probing);
            return new HikariDataSource(hikariConfig(dataSource));
        } catch (SQLException | RuntimeException | LinkageError e) {
            throw Failures.dialFailure(e, url.password());
        }
    }

    private ConnectionException closedFailure() {
        return ConnectionException.permanent("sql connection " + id + " is closed", null);
    }

    private HikariConfig hikariConfig(DataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tether-sql-" + id);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), pingWait.toMillis()));
        // the probe has just connected; a failure from now on is the pings' business
        config.setInitializationFailTimeout(-1);
        return config;
    }

    private void closePool(HikariDataSource failed) {
        synchronized (lock) {
            if (pool != failed) {
                return;
            }
            pool = null;
            driver = null;
        }
        failed.close();
    }

    /** A dial in progress, as a close or the driver's removal aborts it. */
    private static final class Dial {
        final DataSourceFactory factory;
        /** Guarded by this, as the field below. */
        private ConnectionException aborted;
        private java.sql.Connection probe;

        Dial(DataSourceFactory factory) {
            this.factory = factory;
        }

        /** The probe's connection, once logged in: aborted at once if the dial is. */
        void probing(java.sql.Connection connection) {
            synchronized (this) {
                if (aborted == null) {
                    probe = connection;
                    return;
                }
            }
            abortQuietly(connection);
        }

        /** Makes the dial fail with {@code reason}; aborts the probe's connection if it is open. */
        void abort(ConnectionException reason) {
            java.sql.Connection connection;
            synchronized (this) {
                if (aborted != null) {
                    return;
                }
                aborted = reason;
                connection = probe;
            }
            if (connection != null) {
                abortQuietly(connection);
            }
        }

        synchronized Optional<ConnectionException> abortedBecause() {
            return Optional.ofNullable(aborted);
        }

        private static void abortQuietly(java.sql.Connection connection) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // closed already: the probe fails all the same
            }
        }
    }
}
