package io.tether.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.testkit.Poll;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.RecordingSourceContext;

/**
 * What an idle anonymous connection with one subscription costs: heap after GC and threads. Paho's MQTT 3 client runs
 * three threads per connected client (CommsReceiver "MQTT Rec", CommsSender "MQTT Snd", CommsCallback "MQTT Call";
 * "MQTT Con" only while connecting, and no "MQTT Ping" since keep-alive checks run on the shared scheduler); Tether
 * adds none per connection. Prints the figures; asserts only the thread counts.
 */
class ConnectionFootprintTest {
    private static final int CONNECTIONS = 300;
    private static final Predicate<String> PAHO = name -> name.startsWith("MQTT ");
    private static final Predicate<String> TETHER = name -> name.startsWith("tether-");

    @TempDir
    Path dir;
    private Mosquitto broker;
    private MqttPool pools;
    private final List<RecordingSourceContext> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = Mosquitto.start(dir.resolve("broker"));
        pools = new MqttPool(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(RecordingSourceContext::close);
        pools.close();
        broker.close();
    }

    @Test
    void anIdleAnonymousConnectionCostsPahosThreeThreadsAndNoTetherThread() throws Exception {
        Map<String, Object> props = Map.of("server", broker.tcpUrl());
        // loads the classes and starts the shared threads before the baseline
        open(0, 5, props);
        Poll.until("5 connections connected", () -> connected() == 5, this::connected);
        closeAll();
        Poll.until("every Paho thread ended", () -> count(threads(), PAHO) == 0, ConnectionFootprintTest::pahoThreads);
        long heapBefore = heapAfterGc();
        Map<String, Integer> threadsBefore = threads();

        open(0, CONNECTIONS, props);
        Poll.until(CONNECTIONS + " connections connected", () -> connected() == CONNECTIONS, this::connected);
        long heapConnected = heapAfterGc();
        Map<String, Integer> threadsConnected = threads();

        closeAll();
        Poll.until("every Paho thread ended", () -> count(threads(), PAHO) == 0, ConnectionFootprintTest::pahoThreads);
        long heapClosed = heapAfterGc();
        Map<String, Integer> threadsClosed = threads();

        System.out.printf("footprint of %d anonymous connections (one subscription each):%n", CONNECTIONS);
        System.out.printf("  heap used after GC: %,d KB before, %,d KB connected (%,d bytes per connection), "
                + "%,d KB after close%n", heapBefore / 1024, heapConnected / 1024,
                (heapConnected - heapBefore) / CONNECTIONS, heapClosed / 1024);
        System.out.printf("  threads before: %s%n  threads connected: %s%n  threads after close: %s%n",
                threadsBefore, threadsConnected, threadsClosed);

        assertEquals(0, count(threadsBefore, PAHO), threadsBefore.toString());
        assertTrue(count(threadsConnected, PAHO) <= 3 * CONNECTIONS, threadsConnected.toString());
        assertTrue(count(threadsConnected, TETHER) <= count(threadsBefore, TETHER),
                "no Tether thread per connection: " + threadsBefore + " then " + threadsConnected);
    }

    private void open(int from, int to, Map<String, Object> props) throws Exception {
        for (int i = from; i < to; i++) {
            nodes.add(pools.source("footprint-" + i, "footprint/" + i, props));
        }
    }

    private void closeAll() {
        nodes.forEach(RecordingSourceContext::close);
        nodes.clear();
        Poll.until("anonymous connections go with their last reference",
                () -> pools.pool.list(true).stream().allMatch(ConnectionInfo::named));
    }

    private int connected() {
        return (int) pools.pool.list(true).stream()
                .filter(info -> info.status().status() == Status.CONNECTED).count();
    }

    /** Live threads by name, digits dropped and cut at a colon: "MQTT Rec: tether_…" counts as "MQTT Rec". */
    private static Map<String, Integer> threads() {
        Map<String, Integer> byKind = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            int colon = name.indexOf(':');
            String kind = (colon > 0 ? name.substring(0, colon) : name).replaceAll("[0-9]", "");
            byKind.merge(kind, 1, Integer::sum);
        }
        return byKind;
    }

    private static List<String> pahoThreads() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> PAHO.test(e.getKey().getName()))
                .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " "
                        + List.of(e.getValue()).subList(0, Math.min(6, e.getValue().length)))
                .toList();
    }

    private static int count(Map<String, Integer> threads, Predicate<String> kind) {
        return threads.entrySet().stream().filter(e -> kind.test(e.getKey())).mapToInt(Map.Entry::getValue).sum();
    }

    /** Heap in use once a full collection no longer frees anything noticeable. */
    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used - now < 64 * 1024) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
