package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;
import io.tether.lib.mqtt.TlsSettings;

/** The connection props, checked with eKuiper's messages. */
class BusSettingsTest {

    private static List<String> messages(Map<String, Object> props) {
        return BusSettings.of(props).problems().stream().map(PropError::message).toList();
    }

    @Test
    void defaultsAreEKuipers() {
        BusSettings settings = BusSettings.of(Map.of());
        assertEquals("tcp", settings.protocol());
        assertEquals("localhost", settings.host());
        assertEquals(1883, settings.port());
        assertEquals(BusType.MQTT, settings.type());
        assertEquals(List.of(), settings.problems());
    }

    @Test
    void hostWinsOverServer() {
        assertEquals("b", BusSettings.of(Map.of("server", "a", "host", "b")).host());
        assertEquals("a", BusSettings.of(Map.of("server", "a")).host());
    }

    @Test
    void wrongValuesAreRefusedWithEKuipersMessages() {
        assertEquals(List.of("specified wrong port value, expect positive integer but got -1"), messages(Map.of("port", -1)));
        assertEquals(List.of("specified wrong port value, expect positive integer but got x"), messages(Map.of("port", "x")));
        assertEquals(List.of("specified wrong type value zero"), messages(Map.of("type", "zero")));
        assertEquals(List.of("invalid optional config 5, must be a map"), messages(Map.of("optional", 5)));
        String redis = messages(Map.of("type", "redis")).get(0);
        assertTrue(redis.startsWith("specified wrong type value redis") && redis.contains("EdgeX 4 removed"), redis);
    }

    @Test
    void optionKeysAreTakenInAnyCaseAndChecked() {
        BusSettings settings = BusSettings.of(Map.of("type", "nats-jetstream", "port", "4222",
                "optional", Map.of("clientid", "c1", "password", "pw", "deliver", "all", "autoprovision", true)));
        assertEquals(List.of(), settings.problems());
        assertEquals("c1", settings.option("ClientId", null));
        assertEquals("all", settings.option("Deliver", null));
        assertTrue(settings.flag("AutoProvision"));
        assertEquals(4222, settings.port());
        assertFalse(settings.toString().contains("pw"));
        assertEquals(List.of("invalid optional config Deliver sometimes, expect one of new, all, last, lastpersubject"),
                messages(Map.of("optional", Map.of("Deliver", "sometimes"))));
    }

    @Test
    void theTlsFilesAreTakenForEveryBusAndACertificateNeedsItsKey() {
        BusSettings settings = BusSettings.of(Map.of("protocol", "ssl", "type", "nats-core", "optional",
                Map.of("cafile", "/pki/ca.pem", "CertFile", "/pki/client.pem", "KeyFile", "/pki/client.key")));
        assertEquals(List.of(), settings.problems());
        assertEquals(new TlsSettings("/pki/ca.pem", "/pki/client.pem", "/pki/client.key", false), settings.tls());
        assertEquals(new TlsSettings(null, null, null, true),
                BusSettings.of(Map.of("optional", Map.of("SkipCertVerify", "true"))).tls());
        assertEquals(List.of("invalid optional config: CertFile and KeyFile go together, set both or neither"),
                messages(Map.of("optional", Map.of("CertFile", "/pki/client.pem"))));
        assertEquals(List.of("invalid optional config: CertFile and KeyFile go together, set both or neither"),
                messages(Map.of("optional", Map.of("KeyFile", "/pki/client.key", "CertFile", " "))));
    }

    @Test
    void topicsAreMappedToNatsSubjectsAndStreams() {
        assertEquals("edgex.events.device.*.>", Topics.toSubject("edgex/events/device/+/#"));
        assertEquals("edgex/events/device/+/#", Topics.toTopic("edgex.events.device.*.>"));
        assertEquals("edgex", Topics.streamName("edgex.>"));
        assertEquals("edgex_events_device", Topics.streamName("edgex.events.device.*.>"));
    }
}
