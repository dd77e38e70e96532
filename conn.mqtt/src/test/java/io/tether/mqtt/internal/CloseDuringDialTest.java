package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tether.api.connection.Connection;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.Poll;
import io.tether.testkit.QuietContext;
import io.tether.testkit.TcpProxy;

/**
 * A close that comes while the connection dials (the pool does that when a connection is updated or deleted, or its
 * dial overruns) ends the dial at once and leaves none of the client's Paho threads behind. Before the fix, Paho's
 * connect thread ("MQTT Con") was left polling forever in {@code CommsSender.start} when the client was shut down
 * while that thread started its receiver, sender or callback thread.
 */
class CloseDuringDialTest {
    private static final int CONNECTIONS = 100;
    /** Closes are spread over the first 375 ms of the dials: socket connect, Paho's thread start-up, CONNECT sent. */
    private static final int CLOSE_OFFSETS = 25;
    private static final long CLOSE_STEP_MILLIS = 15;
    private static final Duration DIAL_OUTLIVES_CLOSE = Duration.ofMillis(1500);

    @TempDir
    Path dir;
    private Mosquitto broker;
    private TcpProxy silent;
    private MqttPool pools;
    private final ScheduledExecutorService closers = Executors.newScheduledThreadPool(8);

    @BeforeEach
    void start() {
        broker = Mosquitto.start(dir.resolve("broker"));
        silent = new TcpProxy(broker.port());
        silent.freeze();
        pools = new MqttPool(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        closers.shutdownNow();
        pools.close();
        silent.close();
        broker.close();
    }

    @ParameterizedTest(name = "MQTT {0}, {1}")
    @CsvSource({ "3.1.1, broker", "5, broker", "3.1.1, silent server", "5, silent server" })
    void aCloseDuringTheDialEndsTheDialAndLeavesNoPahoThread(String version, String target) throws Exception {
        String url = target.equals("broker") ? broker.tcpUrl() : silent.tcpUrl();
        String prefix = "dialclose-" + version.charAt(0) + "-" + target.charAt(0) + "-";
        AtomicLongArray closeStarted = new AtomicLongArray(CONNECTIONS);
        AtomicLongArray dialEnded = new AtomicLongArray(CONNECTIONS);
        List<Thread> dials = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            int n = i;
            Connection connection = pools.factory.create(Map.of("server", url, "protocolVersion", version,
                    "clientid", prefix + i), new QuietContext(prefix + i));
            Thread dial = new Thread(() -> {
                try {
                    connection.dial();
                } catch (Exception closedOrFailed) {
                    // either way the dial is over
                }
                dialEnded.set(n, System.nanoTime());
            }, "dial-" + prefix + i);
            dials.add(dial);
            dial.start();
            closers.schedule(() -> {
                closeStarted.set(n, System.nanoTime());
                connection.close();
            }, (i % CLOSE_OFFSETS) * CLOSE_STEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        closers.shutdown();
        assertTrue(closers.awaitTermination(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "every close returned");
        long deadline = System.nanoTime() + Poll.PATIENCE.toNanos();
        for (Thread dial : dials) {
            dial.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        List<String> running = dials.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        assertTrue(running.isEmpty(), "dials still running: " + running);
        for (int i = 0; i < CONNECTIONS; i++) {
            long outlived = dialEnded.get(i) - closeStarted.get(i);
            assertTrue(closeStarted.get(i) != 0, "connection " + i + " was closed");
            assertTrue(outlived <= DIAL_OUTLIVES_CLOSE.toNanos(), "the dial of connection " + i + " ended "
                    + TimeUnit.NANOSECONDS.toMillis(outlived) + " ms after its close began");
        }
        Poll.until("no Paho thread of the closed connections", () -> pahoThreads(prefix).isEmpty(),
                () -> pahoThreads(prefix));
    }

    private static List<String> pahoThreads(String clientIdPrefix) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("MQTT ")
                        && e.getKey().getName().contains(": " + clientIdPrefix))
                .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " "
                        + List.of(e.getValue()).subList(0, Math.min(4, e.getValue().length)))
                .toList();
    }
}
