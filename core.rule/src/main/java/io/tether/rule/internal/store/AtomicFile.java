package io.tether.rule.internal.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Replaces a JSON (or YAML) file atomically: written to a temporary file, flushed to disk, renamed over the old one,
 * so a crash leaves either the old or the new content. A leftover temporary file is never read. What it writes may
 * hold secrets: the file is readable by the runtime's user only (0600), its directory too (0700).
 */
public final class AtomicFile {
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFile() {
    }

    public static void write(Path file, ObjectMapper mapper, Object value) throws IOException {
        createOwnerOnlyDirectory(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (POSIX) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        }
        try (OutputStream out = Files.newOutputStream(temporary)) {
            mapper.writeValue(out, value);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Creates the directory (and its parents) as 0700, and makes it 0700 if it was open to others. A directory of
     * another user's (one the runtime may write into but not change) is left as it is.
     */
    static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (!POSIX) {
            Files.createDirectories(directory);
            return;
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        if (!Files.getPosixFilePermissions(directory).equals(OWNER_DIRECTORY)) {
            try {
                Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
            } catch (FileSystemException notOurs) {
                return;
            }
        }
    }
}
