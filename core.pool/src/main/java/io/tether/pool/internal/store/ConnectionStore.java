package io.tether.pool.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The named-connection store: one JSON file under the data directory, replaced atomically on every change (written
 * to a temporary file, flushed to disk, renamed over the old one), readable by the runtime's user only.
 */
public final class ConnectionStore {
    static final String FILE_NAME = "connections.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final Path temporary;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ConnectionStore(Path dataDirectory) {
        this.file = dataDirectory.resolve(FILE_NAME);
        this.temporary = dataDirectory.resolve(FILE_NAME + ".tmp");
    }

    public Path file() {
        return file;
    }

    /** The stored state; {@link StoreState#EMPTY} when nothing was stored yet. A leftover temporary file is ignored. */
    public StoreState load() throws IOException {
        if (!Files.exists(file)) {
            return StoreState.EMPTY;
        }
        return mapper.readValue(file.toFile(), StoreState.class);
    }

    /** Replaces the stored state. When this throws, the previous state is still the stored one. */
    public void save(StoreState state) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(temporary);
        createOwnerOnly(temporary);
        mapper.writeValue(temporary.toFile(), state);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createOwnerOnly(Path path) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(path);
        }
    }
}
