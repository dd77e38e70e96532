package io.tether.conn.sql.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionException;

import io.tether.conn.sql.internal.Databases;
import io.tether.testkit.Poll;
import io.tether.testkit.QuietContext;
import io.tether.testkit.TcpProxy;

/** A close does not wait for a dial logging in to a silent PostgreSQL: it aborts it. */
@Tag("postgres")
class CloseDuringDialTest {

    @Test
    void aCloseReturnsAtOnceAndTheDialFailsAsClosedLeavingNoDriverThread() throws Exception {
        ExecutorService dialler = Executors.newSingleThreadExecutor();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            proxy.freeze();
            DriverCatalog drivers = new DriverCatalog();
            drivers.add(Databases.postgresDriver(), 0, 1);
            // a login time-out long enough that a close waiting for it would show
            SqlSettings settings = SqlSettings.of(Map.of("dburl",
                    "postgres://postgres@127.0.0.1:" + proxy.port() + "/test", "connectionTimeout", 3000));
            SqlConnection connection = new SqlConnection(settings, drivers, new QuietContext("silent"));
            CompletableFuture<ConnectionException> dial = CompletableFuture.supplyAsync(() -> {
                try {
                    connection.dial();
                    return null;
                } catch (ConnectionException e) {
                    return e;
                }
            }, dialler);
            Poll.until("the dial logs in to the silent peer", () -> !driverThreads().isEmpty());

            long start = System.nanoTime();
            connection.close();
            long closeMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(closeMillis < 1000, "the close waited " + closeMillis + " ms");

            ConnectionException failure = dial.get(5, TimeUnit.SECONDS);
            assertEquals("sql connection silent is closed", failure == null ? null : failure.getMessage());
            Poll.until("pgjdbc's connect thread ends", Duration.ofSeconds(5), () -> driverThreads().isEmpty(),
                    CloseDuringDialTest::driverThreads);
        } finally {
            dialler.shutdownNow();
        }
    }

    private static Set<String> driverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("PostgreSQL JDBC driver connection thread"))
                .collect(Collectors.toSet());
    }
}
