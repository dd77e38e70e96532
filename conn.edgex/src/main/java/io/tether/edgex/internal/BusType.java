package io.tether.edgex.internal;

import java.util.Locale;

/** The EdgeX message bus kinds that EdgeX 4 (go-mod-messaging v4) has, by their names in the {@code type} prop. */
enum BusType {
    MQTT("mqtt"), NATS_CORE("nats-core"), NATS_JETSTREAM("nats-jetstream");

    final String text;

    BusType(String text) {
        this.text = text;
    }

    /** The type named by {@code text} (any case), or null. */
    static BusType of(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (BusType type : values()) {
            if (type.text.equals(wanted)) {
                return type;
            }
        }
        return null;
    }

    boolean isNats() {
        return this != MQTT;
    }
}
