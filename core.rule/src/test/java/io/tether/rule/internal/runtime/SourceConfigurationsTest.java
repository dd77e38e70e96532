package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceConfigurationsTest {
    @TempDir
    Path home;

    private void write(String relative, String yaml) throws Exception {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    @Test
    void theConfKeySectionOverlaysTheDefault() throws Exception {
        write("etc/sources/mqtt.yaml", "default:\n  qos: 1\n  server: tcp://a:1883\n"
                + "demo_conf:\n  qos: 0\n  connectionSelector: mqttcon1\n");
        SourceConfigurations configurations = new SourceConfigurations(home);
        assertEquals(Map.of("qos", 0, "server", "tcp://a:1883", "connectionSelector", "mqttcon1"),
                configurations.props("mqtt", "demo_conf"));
        assertEquals(Map.of("qos", 1, "server", "tcp://a:1883"), configurations.props("mqtt", null));
    }

    @Test
    void eKuipersMqttSourceFileIsReadTooAndTheTypeFileWins() throws Exception {
        write("etc/mqtt_source.yaml", "default:\n  qos: 1\n  server: tcp://old:1883\nttt:\n  connectionSelector: c\n");
        write("etc/sources/mqtt.yaml", "default:\n  server: tcp://new:1883\n");
        assertEquals(Map.of("qos", 1, "server", "tcp://new:1883", "connectionSelector", "c"),
                new SourceConfigurations(home).props("mqtt", "ttt"));
    }

    @Test
    void sectionsArePutInTheTypeFileAndDeletedFromBothFiles() throws Exception {
        write("etc/mqtt_source.yaml", "default:\n  qos: 1\nold:\n  connectionSelector: c\n");
        SourceConfigurations configurations = new SourceConfigurations(home);
        configurations.put("mqtt", "new", Map.of("connectionSelector", "d"));
        assertEquals(Map.of("qos", 1, "connectionSelector", "d"), new SourceConfigurations(home).props("mqtt", "new"));
        assertEquals(java.util.Set.of("default", "old", "new"), configurations.sections("mqtt").keySet());
        assertEquals(true, configurations.delete("mqtt", "old"));
        assertEquals(true, configurations.delete("mqtt", "new"));
        assertEquals(false, configurations.delete("mqtt", "new"));
        assertEquals(java.util.Set.of("default"), configurations.sections("mqtt").keySet());
    }

    @Test
    void noFilesGiveNoProps() {
        assertEquals(Map.of(), new SourceConfigurations(home).props("sql", null));
    }

    @Test
    void problemsAreNamed() throws Exception {
        SourceConfigurations configurations = new SourceConfigurations(home);
        assertEquals("conf key nope of source type mqtt is not found",
                assertThrows(IllegalStateException.class, () -> configurations.props("mqtt", "nope")).getMessage());
        write("etc/sources/mqtt.yaml", "demo:\n  connentionSelector: c\n");
        assertEquals("connentionSelector is not supported: the prop is spelt connectionSelector",
                assertThrows(IllegalStateException.class, () -> configurations.props("mqtt", "demo")).getMessage());
    }
}
