package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionPool;
import io.tether.rule.internal.store.AtomicFile;

/**
 * The rule layer's masking (SPEC §5): props and texts are masked by the pool's rules, plus the prop names the source
 * and sink providers declare secret. Declared names are kept in {@code secret-props.json} under the data directory,
 * so that the props of a type whose bundle is absent after a restart are masked as well.
 */
final class Secrets {
    static final String FILE_NAME = "secret-props.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Set<String>>> NAMES = new TypeReference<>() {
    };

    private final ConnectionPool pool;
    private final Path file;
    /** Lower-case type → the names its providers ever declared. */
    private final Map<String, Set<String>> declared = new TreeMap<>();

    /** @throws IOException when the file exists but cannot be read */
    Secrets(ConnectionPool pool, Path dataDirectory) throws IOException {
        this.pool = pool;
        this.file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Map<String, Set<String>> stored = MAPPER.readValue(file.toFile(), NAMES);
            if (stored != null) {
                stored.forEach((type, names) -> declared.put(type, new TreeSet<>(names)));
            }
        }
    }

    /**
     * A provider of the type came with these secret names; they are stored when new.
     *
     * @throws IOException when they cannot be stored
     */
    synchronized void declare(String type, Set<String> names) throws IOException {
        Set<String> known = declared.getOrDefault(key(type), Set.of());
        if (known.containsAll(names)) {
            return;
        }
        Map<String, Set<String>> changed = new TreeMap<>(declared);
        Set<String> union = new TreeSet<>(known);
        union.addAll(names);
        changed.put(key(type), union);
        AtomicFile.write(file, MAPPER, changed);
        declared.put(key(type), union);
    }

    /** The props as they may be shown: REST answers, logs. */
    Map<String, Object> mask(String type, Map<String, Object> props) {
        return pool.maskSecrets(type, props, names(type));
    }

    /** The text (an error, a status, a log argument) with the passwords it may hold masked. */
    String mask(String text) {
        return text == null ? null : pool.maskSecrets(text);
    }

    /**
     * The props a client sent back, with every value that is the masked form of the stored one replaced by the
     * stored one: sending back what a GET showed keeps the secrets, as the pool does for connections.
     */
    Map<String, Object> restore(String type, Map<String, Object> sent, Map<String, Object> stored) {
        return restoreMap(sent, stored, mask(type, stored));
    }

    private static Map<String, Object> restoreMap(Map<?, ?> sent, Map<?, ?> stored, Map<?, ?> shown) {
        Map<String, Object> restored = new LinkedHashMap<>();
        sent.forEach((key, value) -> restored.put(String.valueOf(key),
                restoreValue(value, stored.get(key), shown.get(key))));
        return restored;
    }

    private static Object restoreValue(Object sent, Object stored, Object shown) {
        if (sent == null || stored == null || shown == null) {
            return sent;
        }
        if (sent instanceof Map<?, ?> sentMap && stored instanceof Map<?, ?> storedMap
                && shown instanceof Map<?, ?> shownMap) {
            return restoreMap(sentMap, storedMap, shownMap);
        }
        if (sent instanceof List<?> sentList && stored instanceof List<?> storedList
                && shown instanceof List<?> shownList && sentList.size() == storedList.size()
                && storedList.size() == shownList.size()) {
            List<Object> restored = new ArrayList<>();
            for (int i = 0; i < sentList.size(); i++) {
                restored.add(restoreValue(sentList.get(i), storedList.get(i), shownList.get(i)));
            }
            return restored;
        }
        return sent.equals(shown) && !shown.equals(stored) ? stored : sent;
    }

    private synchronized Set<String> names(String type) {
        return Set.copyOf(declared.getOrDefault(key(type), Set.of()));
    }

    private static String key(String type) {
        return type.toLowerCase(Locale.ROOT);
    }
}
