package io.tether.rule.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Streams and rules: one JSON file under the data directory, replaced atomically on every change.
 */
public final class RuleStore {
    static final String FILE_NAME = "rules.json";

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RuleStore(Path dataDirectory) {
        this.file = dataDirectory.resolve(FILE_NAME);
    }

    /** The stored state; {@link StoredState#EMPTY} when nothing was stored yet. A leftover temporary file is ignored. */
    public StoredState load() throws IOException {
        if (!Files.exists(file)) {
            return StoredState.EMPTY;
        }
        return mapper.readValue(file.toFile(), StoredState.class);
    }

    /** Replaces the stored state. When this throws, the previous state is still the stored one. */
    public void save(StoredState state) throws IOException {
        AtomicFile.write(file, mapper, state);
    }
}
