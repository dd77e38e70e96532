package io.tether.shell.internal.deploy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Which connection files were applied, by connection id: the file and the hash of its content when it was applied
 * (the provisioning file's apply-once rule, SPEC §6). Kept in the data directory ({@value #FILE_NAME}, 0600), replaced
 * atomically.
 */
final class AppliedFiles {
    static final String FILE_NAME = "deploy-connections.json";
    private static final Logger LOG = LoggerFactory.getLogger(AppliedFiles.class);
    private static final TypeReference<TreeMap<String, Applied>> SHAPE = new TypeReference<>() {
    };
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param file the connection file, absolute */
    record Applied(String file, String hash) {
    }

    private final Path store;
    private final Map<String, Applied> applied;

    /** A store that cannot be read is moved aside (never overwritten): every file is then applied once more. */
    AppliedFiles(Path dataDirectory) throws IOException {
        store = dataDirectory.resolve(FILE_NAME);
        applied = read(store);
    }

    private Map<String, Applied> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return mapper.readValue(file.toFile(), SHAPE);
        } catch (IOException e) {
            Path aside = file.resolveSibling(FILE_NAME + ".unreadable-" + System.currentTimeMillis());
            LOG.error("Cannot read {} ({}); moved to {}: every connection file is applied once more", file,
                    e.getClass().getSimpleName(), aside);
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            return new TreeMap<>();
        }
    }

    Path store() {
        return store;
    }

    Applied get(String id) {
        return applied.get(id);
    }

    Map<String, Applied> all() {
        return Map.copyOf(applied);
    }

    void put(String id, Applied file) throws IOException {
        applied.put(id, file);
        save();
    }

    void remove(String id) throws IOException {
        if (applied.remove(id) != null) {
            save();
        }
    }

    private void save() throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(store.getParent())) {
            Files.createDirectories(store.getParent(), posix
                    ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")) }
                    : new FileAttribute<?>[0]);
        }
        Path temporary = store.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        if (posix) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(temporary, mapper.writeValueAsBytes(applied), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
            Files.move(temporary, store, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, store, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
