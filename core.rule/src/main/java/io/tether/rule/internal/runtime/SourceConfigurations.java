package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.tether.api.connection.ConnectionPool;

/**
 * The sources' conf-key files under the home directory (SPEC §7): {@code etc/sources/<type>.yaml} and, for MQTT,
 * eKuiper's {@code etc/mqtt_source.yaml}, each a map of sections. A source's props are section {@code default}
 * overlaid by the section its stream's CONF_KEY names. Read at each rule start, so edits apply at the next start.
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
    Map<String, Object> props(String type, String confKey) {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (Path file : files(type)) {
            read(file).forEach((name, section) -> sections.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .putAll(section == null ? Map.of() : section));
        }
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
        files.add(home.resolve("etc/sources/" + type + ".yaml"));
        return files;
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
