package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.tether.api.connection.ConnectionPool;
import io.tether.rule.internal.store.AtomicFile;

/**
 * The sources' conf-key files under the home directory (SPEC §7): {@code etc/sources/<type>.yaml} and, for MQTT,
 * eKuiper's {@code etc/mqtt_source.yaml}, each a map of sections. A source's props are section {@code default}
 * overlaid by the section its stream's CONF_KEY names. Read at each rule start, so edits apply at the next start.
 * Changes through the REST API are written to {@code etc/sources/<type>.yaml}.
 */
final class SourceConfigurations {
    static final String DEFAULT_SECTION = "default";
    /** The seed's misspelling, refused with a clear message rather than ignored. */
    static final String MISSPELT_SELECTOR = "connentionSelector";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final TypeReference<Map<String, Map<String, Object>>> SECTIONS = new TypeReference<>() {
    };

    private final Path home;

    SourceConfigurations(Path home) {
        this.home = home;
    }

    /**
     * @param confKey the stream's CONF_KEY, or {@code null}
     * @throws IllegalStateException when a file cannot be read, the conf key is not found, or a section misspells
     *                               {@code connectionSelector}
     */
    synchronized Map<String, Object> props(String type, String confKey) {
        Map<String, Map<String, Object>> sections = sections(type);
        Map<String, Object> props = new LinkedHashMap<>(sections.getOrDefault(DEFAULT_SECTION, Map.of()));
        if (confKey != null && !confKey.isEmpty()) {
            Map<String, Object> section = sections.get(confKey);
            if (section == null) {
                throw new IllegalStateException("conf key " + confKey + " of source type " + type + " is not found");
            }
            props.putAll(section);
        }
        checkSelectorSpelling(props);
        return props;
    }

    /** Every section of the type's files; a section in {@code etc/sources/<type>.yaml} wins key by key. */
    synchronized Map<String, Map<String, Object>> sections(String type) {
        Map<String, Map<String, Object>> sections = new TreeMap<>();
        for (Path file : files(type)) {
            read(file).forEach((name, section) -> sections.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .putAll(section == null ? Map.of() : section));
        }
        return sections;
    }

    /** Replaces a section in {@code etc/sources/<type>.yaml}, and removes it from eKuiper's MQTT file. */
    synchronized void put(String type, String confKey, Map<String, Object> props) throws IOException {
        checkSelectorSpelling(props);
        removeFromOtherFiles(type, confKey);
        Path file = typeFile(type);
        Map<String, Map<String, Object>> sections = new TreeMap<>(read(file));
        sections.put(confKey, props);
        AtomicFile.write(file, YAML, sections);
    }

    /** @return whether a section of that name was there */
    synchronized boolean delete(String type, String confKey) throws IOException {
        boolean found = removeFromOtherFiles(type, confKey);
        Path file = typeFile(type);
        Map<String, Map<String, Object>> sections = new TreeMap<>(read(file));
        if (sections.remove(confKey) != null) {
            AtomicFile.write(file, YAML, sections);
            found = true;
        }
        return found;
    }

    private boolean removeFromOtherFiles(String type, String confKey) throws IOException {
        boolean found = false;
        for (Path file : files(type)) {
            if (!file.equals(typeFile(type))) {
                Map<String, Map<String, Object>> sections = new TreeMap<>(read(file));
                if (sections.remove(confKey) != null) {
                    AtomicFile.write(file, YAML, sections);
                    found = true;
                }
            }
        }
        return found;
    }

    static void checkSelectorSpelling(Map<String, Object> props) {
        if (props.containsKey(MISSPELT_SELECTOR)) {
            throw new IllegalStateException(MISSPELT_SELECTOR + " is not supported: the prop is spelt "
                    + ConnectionPool.CONNECTION_SELECTOR);
        }
    }

    private List<Path> files(String type) {
        List<Path> files = new ArrayList<>();
        if (type.equals("mqtt")) {
            files.add(home.resolve("etc/mqtt_source.yaml"));
        }
        files.add(typeFile(type));
        return files;
    }

    private Path typeFile(String type) {
        return home.resolve("etc/sources/" + type + ".yaml");
    }

    private static Map<String, Map<String, Object>> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Map<String, Map<String, Object>> sections = YAML.readValue(file.toFile(), SECTIONS);
            return sections == null ? Map.of() : sections;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
    }
}
