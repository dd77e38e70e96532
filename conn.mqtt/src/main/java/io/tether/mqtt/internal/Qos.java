package io.tether.mqtt.internal;

import io.tether.api.connection.PropError;

/** The {@code qos} prop of sources, sinks and connections. */
final class Qos {
    static final int DEFAULT = 1;

    private Qos() {
    }

    /** 0, 1 or 2; -1 for anything else (a fraction, a string that is not one of them). */
    static int parse(Object value) {
        int qos = MqttProps.intOr(value, -1);
        return qos >= 0 && qos <= 2 ? qos : -1;
    }

    static int parseOrDefault(Object value) {
        return value == null ? DEFAULT : parse(value);
    }

    static PropError invalid(Object value) {
        return new PropError(MqttProps.QOS,
                "invalid qos value " + value + ", the value could be only int 0 or 1 or 2");
    }
}
