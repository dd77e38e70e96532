package io.tether.pool.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningFileTest {
    @TempDir
    Path home;

    private List<ProvisioningFile.Entry> read(String yaml) throws IOException {
        ProvisioningFile file = new ProvisioningFile(home);
        Files.createDirectories(file.file().getParent());
        Files.writeString(file.file(), yaml);
        return file.read();
    }

    @Test
    void readsEntriesByTypeAndId() throws IOException {
        List<ProvisioningFile.Entry> entries = read("""
                MQTT:
                  mqttcon1:
                    server: tcp://127.0.0.1:1883
                    qos: 0
                sql:
                  db1:
                    url: sqlite:/tmp/x.db
                  gone:
                    xOperation: delete
                """);
        assertEquals(3, entries.size());
        assertEquals("mqtt", entries.get(0).typ());
        assertEquals(Map.of("server", "tcp://127.0.0.1:1883", "qos", 0), entries.get(0).props());
        assertFalse(entries.get(0).delete());
        assertTrue(entries.get(2).delete());
    }

    @Test
    void hashChangesWithTheContentOnly() {
        String hash = ProvisioningFile.hash("mqtt", Map.of("a", 1, "b", 2));
        assertEquals(hash, ProvisioningFile.hash("mqtt", new java.util.TreeMap<>(Map.of("b", 2, "a", 1))));
        assertNotEquals(hash, ProvisioningFile.hash("mqtt", Map.of("a", 1, "b", 3)));
        assertNotEquals(hash, ProvisioningFile.hash("sql", Map.of("a", 1, "b", 2)));
    }

    @Test
    void noFileMeansNoEntries() throws IOException {
        assertEquals(List.of(), new ProvisioningFile(home).read());
    }
}
