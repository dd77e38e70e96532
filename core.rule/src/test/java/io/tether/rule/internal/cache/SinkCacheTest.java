package io.tether.rule.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkCacheTest {
    @TempDir
    Path directory;
    private int dropped;
    private final List<String> failures = new ArrayList<>();
    private final SinkCache.Listener listener = new SinkCache.Listener() {
        @Override
        public void dropped(int count) {
            dropped += count;
        }

        @Override
        public void failed(String message) {
            failures.add(message);
        }
    };

    private static List<Map<String, Object>> emission(int n) {
        return List.of(Map.of("n", n));
    }

    private static List<Integer> drain(SinkCache cache) {
        List<Integer> order = new ArrayList<>();
        for (List<Map<String, Object>> head = cache.head(); head != null; head = cache.head()) {
            order.add(((Number) head.get(0).get("n")).intValue());
            cache.removeHead(head);
        }
        return order;
    }

    private List<Path> pageFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void beyondTheMemoryThresholdFullPagesGoToDiskAndAllComeBackInOrder() throws IOException {
        SinkCache cache = SinkCache.open(directory, 4, 2, 100, listener);
        for (int n = 0; n < 11; n++) {
            cache.add(emission(n));
        }
        assertEquals(11, cache.size());
        // 4 in memory, 3 full pages of 2 on disk, the 11th in the page being filled
        assertEquals(3, pageFiles().size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), drain(cache));
        assertEquals(List.of(), pageFiles());
        assertTrue(cache.isEmpty());
    }

    @Test
    void pagesAreWrittenOwnerOnly() throws IOException {
        SinkCache cache = SinkCache.open(directory.resolve("r1/sink_mqtt_0"), 0, 1, 100, listener);
        cache.add(emission(0));
        cache.add(emission(1));
        Path page = Files.list(directory.resolve("r1/sink_mqtt_0")).findFirst().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(page)));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("r1/sink_mqtt_0"))));
    }

    @Test
    void aFullDiskCacheDropsTheOldestPagesAndCountsThem() throws IOException {
        SinkCache cache = SinkCache.open(directory, 0, 2, 4, listener);
        for (int n = 0; n < 9; n++) {
            cache.add(emission(n));
        }
        // pages [0 1] stays in memory as the head, [2 3] [4 5] on disk; [6 7] needs room: [0 1], then [2 3] go
        assertEquals(4, dropped);
        assertEquals(List.of(4, 5, 6, 7, 8), drain(cache));
    }

    @Test
    void whatIsOnDiskSurvivesACrashAndWhatIsOnlyInMemoryDoesNot() throws IOException {
        SinkCache cache = SinkCache.open(directory, 2, 2, 100, listener);
        for (int n = 0; n < 7; n++) {
            cache.add(emission(n));
        }
        SinkCache afterCrash = SinkCache.open(directory, 2, 2, 100, listener);
        assertEquals(4, afterCrash.size());
        assertEquals(List.of(2, 3, 4, 5), drain(afterCrash));
    }

    @Test
    void aPageReadBackKeepsItsFileUntilItsLastEmissionLeft() throws IOException {
        SinkCache cache = SinkCache.open(directory, 0, 2, 100, listener);
        for (int n = 0; n < 5; n++) {
            cache.add(emission(n));
        }
        // [0 1] in memory, [2 3] on disk, [4] filling
        cache.removeHead(cache.head());
        cache.removeHead(cache.head());
        cache.removeHead(cache.head());
        assertEquals(1, pageFiles().size(), "the page of 2 and 3 is still on disk while 3 is not sent");
        // a crash now resends the page: 3, and 2 a second time (at least once)
        assertEquals(List.of(2, 3), drain(SinkCache.open(directory, 0, 2, 100, listener)));
    }

    @Test
    void aFlushWritesMemoryAndTheRestOfAPagePartlySent() throws IOException {
        SinkCache cache = SinkCache.open(directory, 0, 2, 100, listener);
        for (int n = 0; n < 5; n++) {
            cache.add(emission(n));
        }
        cache.removeHead(cache.head());
        cache.removeHead(cache.head());
        cache.removeHead(cache.head());
        cache.flush();
        SinkCache restarted = SinkCache.open(directory, 0, 2, 100, listener);
        assertEquals(2, restarted.size());
        assertEquals(List.of(3, 4), drain(restarted));
        assertEquals(List.of(), failures);
    }

    @Test
    void clearDeletesEverything() throws IOException {
        SinkCache cache = SinkCache.open(directory.resolve("op"), 0, 1, 100, listener);
        cache.add(emission(0));
        cache.add(emission(1));
        cache.clear();
        assertTrue(cache.isEmpty());
        assertNull(cache.head());
        assertTrue(Files.notExists(directory.resolve("op")));
    }

    @Test
    void anUnreadablePageIsDroppedAndCounted() throws IOException {
        SinkCache cache = SinkCache.open(directory, 0, 2, 100, listener);
        for (int n = 0; n < 5; n++) {
            cache.add(emission(n));
        }
        Files.writeString(pageFiles().get(0), "not json");
        SinkCache restarted = SinkCache.open(directory, 0, 2, 100, listener);
        assertEquals(List.of(2, 3), drain(restarted), "the pages after the unreadable one are read");
        assertEquals(2, dropped);
        assertEquals(1, failures.size());
    }
}
