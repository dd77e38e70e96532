package io.tether.pool.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The named-connection store: one JSON file under the data directory, replaced atomically on every change (written
 * to a temporary file, flushed to disk, renamed over the old one). The file is readable by the runtime's user only
 * (0600), and a directory the store creates is open to that user only (0700).
 */
public final class ConnectionStore {
    static final String FILE_NAME = "connections.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** Writes the bytes to a new file and forces them to disk; the store's tests slow it down. */
    @FunctionalInterface
    public interface FileWriter {
        void writeDurably(Path file, byte[] content) throws IOException;
    }

    private final Path file;
    private final Path temporary;
    private final FileWriter writer;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ConnectionStore(Path dataDirectory) {
        this(dataDirectory, ConnectionStore::writeOwnerOnly);
    }

    public ConnectionStore(Path dataDirectory, FileWriter writer) {
        this.file = dataDirectory.resolve(FILE_NAME);
        this.temporary = dataDirectory.resolve(FILE_NAME + ".tmp");
        this.writer = writer;
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
        byte[] content = mapper.writeValueAsBytes(state);
        createDirectories(file.getParent());
        Files.deleteIfExists(temporary);
        writer.writeDurably(temporary, content);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, posix() ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY) } : new FileAttribute<?>[0]);
        }
    }

    private static void writeOwnerOnly(Path path, byte[] content) throws IOException {
        if (posix()) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(path);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
