package io.tether.pool.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6: the store's writes are atomic and private. */
class ConnectionStoreTest {
    @TempDir
    Path data;

    private static StoreState state(String... ids) {
        return new StoreState(java.util.Arrays.stream(ids)
                .map(id -> new StoredConnection(id, "mqtt", Map.of("server", "tcp://127.0.0.1:1883", "qos", 1)))
                .toList(), Map.of("p1", "abc"));
    }

    @Test
    void savesAndLoadsTheState() throws IOException {
        ConnectionStore store = new ConnectionStore(data.resolve("nested"));
        assertEquals(StoreState.EMPTY, store.load());
        store.save(state("a", "b"));
        assertEquals(state("a", "b"), new ConnectionStore(data.resolve("nested")).load());
    }

    @Test
    void storeFileIsReadableByItsOwnerOnly() throws IOException {
        ConnectionStore store = new ConnectionStore(data);
        store.save(state("a"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    }

    @Test
    void aCrashMidWriteLosesNothing() throws IOException {
        ConnectionStore store = new ConnectionStore(data);
        store.save(state("a"));
        StoreState unwritable = new StoreState(
                List.of(new StoredConnection("b", "mqtt", Map.of("server", "x", "broken", new Unserializable()))),
                Map.of());
        assertThrows(IOException.class, () -> store.save(unwritable));
        assertEquals(state("a"), store.load());
    }

    @Test
    void aTemporaryFileLeftByACrashIsIgnored() throws IOException {
        ConnectionStore store = new ConnectionStore(data);
        store.save(state("a"));
        Files.writeString(data.resolve(ConnectionStore.FILE_NAME + ".tmp"), "{\"connections\":[{\"id\":\"half");
        assertEquals(state("a"), store.load());
        store.save(state("a", "b"));
        assertEquals(state("a", "b"), store.load());
    }

    /** Jackson fails on it halfway through the file, as a crash would. */
    static final class Unserializable {
        public Object getValue() {
            throw new IllegalStateException("simulated crash");
        }
    }
}
