package io.tether.lib.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class MqttClientSettingsTest {

    @Test
    void maskedHidesAPasswordHoldingAtOrSlash() {
        assertEquals("tcp://u:******@h:1883", MqttClientSettings.masked("tcp://u:p@s/s@h:1883"));
        assertEquals("tcp://u@h:1883", MqttClientSettings.masked("tcp://u@h:1883"));
        assertEquals("ws://h:80/mqtt", MqttClientSettings.masked("ws://h:80/mqtt"));
    }

    @Test
    void toStringShowsNeitherPasswordNorTheServersUserinfoPassword() {
        MqttClientSettings settings = new MqttClientSettings("tcp://u:s3cret@h:1883", ProtocolVersion.V5, "c", "u",
                "pw-s3cret", true, 30, 10, 10, TlsSettings.NONE);
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }
}
