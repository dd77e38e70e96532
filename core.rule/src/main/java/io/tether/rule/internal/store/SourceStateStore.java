package io.tether.rule.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The sources' small states (SPEC §7, e.g. the SQL source's last index) by rule id: one JSON file under the data
 * directory, apart from the rule store because sources save from their own threads, replaced atomically on every
 * save.
 */
public final class SourceStateStore {
    static final String FILE_NAME = "source-states.json";
    private static final TypeReference<Map<String, Map<String, Object>>> STATES = new TypeReference<>() {
    };

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Map<String, Object>> states = new TreeMap<>();

    /**
     * @throws IOException when the file exists but cannot be read
     */
    public SourceStateStore(Path dataDirectory) throws IOException {
        this.file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Map<String, Map<String, Object>> stored = mapper.readValue(file.toFile(), STATES);
            if (stored != null) {
                states.putAll(stored);
            }
        }
    }

    /** The state the rule's source saved last; empty when none. */
    public synchronized Map<String, Object> get(String ruleId) {
        return states.getOrDefault(ruleId, Map.of());
    }

    public synchronized void put(String ruleId, Map<String, Object> state) throws IOException {
        Map<String, Map<String, Object>> changed = new TreeMap<>(states);
        changed.put(ruleId, state);
        AtomicFile.write(file, mapper, changed);
        states.put(ruleId, state);
    }

    public synchronized void remove(String ruleId) throws IOException {
        if (states.containsKey(ruleId)) {
            Map<String, Map<String, Object>> changed = new TreeMap<>(states);
            changed.remove(ruleId);
            AtomicFile.write(file, mapper, changed);
            states.remove(ruleId);
        }
    }
}
