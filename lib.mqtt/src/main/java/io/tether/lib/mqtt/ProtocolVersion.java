package io.tether.lib.mqtt;

import java.util.Locale;

/** The MQTT protocol versions: 3.1 and 3.1.1 on Paho's v3 client, 5 on its v5 one. */
public enum ProtocolVersion {
    V3_1,
    V3_1_1,
    V5;

    /** The version named by a prop value ({@code "3.1"}, {@code "3.1.1"} or {@code 4}, {@code "5"}), or null. */
    public static ProtocolVersion parse(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                ? Long.toString(number.longValue())
                : String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "3.1", "3" -> V3_1;
            case "3.1.1", "4" -> V3_1_1;
            case "5", "5.0" -> V5;
            default -> null;
        };
    }
}
