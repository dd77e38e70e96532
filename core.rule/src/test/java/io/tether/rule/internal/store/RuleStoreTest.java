package io.tether.rule.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

class RuleStoreTest {
    @TempDir
    Path directory;

    @Test
    void nothingStoredIsEmpty() throws Exception {
        assertEquals(StoredState.EMPTY, new RuleStore(directory.resolve("not-yet")).load());
    }

    @Test
    void savedStateIsLoadedBackAndNoTemporaryFileIsLeft() throws Exception {
        RuleStore store = new RuleStore(directory.resolve("data"));
        StoredState state = new StoredState(Map.of("demo", "CREATE STREAM demo () WITH (TYPE=\"simulator\")"),
                List.of(new RuleDefinition("r1", "SELECT * FROM demo",
                        List.of(new Action("mqtt", Map.of("topic", "out", "qos", 1))), false,
                        new RuleOptions(5000, RuleOptions.Overflow.DROP))));
        store.save(state);
        assertEquals(state, new RuleStore(directory.resolve("data")).load());
        assertFalse(Files.exists(directory.resolve("data").resolve(RuleStore.FILE_NAME + ".tmp")));
    }

    @Test
    void aRuleStoredBeforeRulesHadOptionsGetsTheDefaults() throws Exception {
        Files.writeString(directory.resolve(RuleStore.FILE_NAME), "{\"streams\": {}, \"rules\": [{\"id\": \"r1\", "
                + "\"sql\": \"SELECT * FROM demo\", \"actions\": [], \"triggered\": true}]}");
        assertEquals(RuleOptions.DEFAULT, new RuleStore(directory).load().rules().get(0).options());
    }

    @Test
    void aRuleStoredBeforeOverflowExistedBlocks() throws Exception {
        Files.writeString(directory.resolve(RuleStore.FILE_NAME), "{\"streams\": {}, \"rules\": [{\"id\": \"r1\", "
                + "\"sql\": \"SELECT * FROM demo\", \"actions\": [], \"triggered\": true, "
                + "\"options\": {\"bufferLength\": 10}}]}");
        assertEquals(new RuleOptions(10, RuleOptions.Overflow.BLOCK),
                new RuleStore(directory).load().rules().get(0).options());
    }

    @Test
    void theStoreAndTheDirectoriesItCreatesAreTheOwnersOnly() throws Exception {
        Path data = directory.resolve("home/data");
        Files.createDirectories(directory.resolve("home"));
        new RuleStore(data).save(StoredState.EMPTY);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve(RuleStore.FILE_NAME))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void aDirectoryOpenToOthersIsClosedWhenTheStoreIsWritten() throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        new RuleStore(directory).save(StoredState.EMPTY);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }

    @Test
    void aLeftoverTemporaryFileIsIgnored() throws Exception {
        RuleStore store = new RuleStore(directory);
        store.save(StoredState.EMPTY);
        Files.writeString(directory.resolve(RuleStore.FILE_NAME + ".tmp"), "{half");
        assertEquals(StoredState.EMPTY, store.load());
        store.save(new StoredState(Map.of("s", "x"), List.of()));
        assertEquals(Map.of("s", "x"), store.load().streams());
    }
}
