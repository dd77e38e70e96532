package io.tether.edgex.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;
import io.tether.lib.mqtt.TlsSettings;

/**
 * The connection props of an EdgeX message bus, checked as eKuiper checks them ({@code protocol}, {@code server} or
 * {@code host}, {@code port}, {@code type}, {@code optional}), with eKuiper's messages. The {@code optional} map's
 * keys are taken in any case and kept in go-mod-messaging's spelling ({@code clientid} → {@code ClientId}).
 *
 * @param optional the bus options, values as text; holds the password: never show it
 */
record BusSettings(String protocol, String host, int port, BusType type, Map<String, String> optional,
        List<PropError> problems) {
    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 1883;
    private static final List<String> OPTION_NAMES = List.of("ClientId", "Username", "Password", "Qos", "KeepAlive",
            "Retained", "CertFile", "KeyFile", "CaFile", "SkipCertVerify", "Format", "QueueGroup", "Durable", "Deliver",
            "AutoProvision", "ExactlyOnce", "ConnectTimeout");

    static BusSettings of(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        String protocol = node.string("protocol", "tcp").strip().toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("ssl")) {
            node.problem("protocol", "specified wrong protocol value " + protocol + ", expect tcp or ssl");
        }
        String host = node.has("host") ? node.string("host", DEFAULT_HOST)
                : node.has("server") ? node.string("server", DEFAULT_HOST) : DEFAULT_HOST;
        int port = port(props.get("port"), node);
        BusType type = BusType.MQTT;
        if (node.has("type")) {
            String text = String.valueOf(props.get("type"));
            type = BusType.of(text);
            if (type == null) {
                node.problem("type", "redis".equalsIgnoreCase(text.strip())
                        ? "specified wrong type value redis: EdgeX 4 removed the Redis message bus, use mqtt, nats-core or nats-jetstream"
                        : "specified wrong type value " + text);
            }
        }
        Map<String, String> optional = new LinkedHashMap<>();
        Object given = props.get("optional");
        if (given instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (value != null) {
                    optional.put(canonical(String.valueOf(key)), String.valueOf(value));
                }
            });
        } else if (given != null) {
            node.problem("optional", "invalid optional config " + given + ", must be a map");
        }
        BusSettings settings = new BusSettings(protocol, host, port, type, Map.copyOf(optional), List.of());
        settings.checkOptions(node);
        return new BusSettings(protocol, host, port, type, settings.optional, node.problems());
    }

    private static int port(Object value, NodeProps node) {
        if (value == null || "".equals(value)) {
            return DEFAULT_PORT;
        }
        long port;
        try {
            port = value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                    ? number.longValue() : Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port <= 0 || port > 65535) {
            node.problem("port", "specified wrong port value, expect positive integer but got " + value);
            return DEFAULT_PORT;
        }
        return (int) port;
    }

    private static String canonical(String key) {
        for (String name : OPTION_NAMES) {
            if (name.equalsIgnoreCase(key)) {
                return name;
            }
        }
        return key;
    }

    private void checkOptions(NodeProps node) {
        choice(node, "Qos", "0", "1", "2");
        choice(node, "Format", "nats", "json");
        choice(node, "Deliver", "new", "all", "last", "lastpersubject");
        for (String flag : List.of("Retained", "SkipCertVerify", "AutoProvision", "ExactlyOnce")) {
            choice(node, flag, "true", "false");
        }
        boolean certificate = option("CertFile", null) != null;
        if (certificate != (option("KeyFile", null) != null)) {
            node.problem(certificate ? "optional.KeyFile" : "optional.CertFile",
                    "invalid optional config: CertFile and KeyFile go together, set both or neither");
        }
        if (optional.containsKey("KeepAlive")) {
            try {
                if (Integer.parseInt(optional.get("KeepAlive").strip()) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                node.problem("optional.KeepAlive", "invalid optional config KeepAlive " + optional.get("KeepAlive")
                        + ", expect seconds as a whole number");
            }
        }
    }

    private void choice(NodeProps node, String option, String... allowed) {
        String value = optional.get(option);
        if (value != null && !List.of(allowed).contains(value.strip().toLowerCase(Locale.ROOT))) {
            node.problem("optional." + option, "invalid optional config " + option + " " + value + ", expect one of "
                    + String.join(", ", allowed));
        }
    }

    String option(String name, String fallback) {
        String value = optional.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(option(name, "false"));
    }

    /**
     * The TLS setup of {@code protocol: ssl}, for every bus type: {@code CaFile} (PEM CAs to trust instead of the
     * JVM's), {@code CertFile} and {@code KeyFile} (PEM client certificate and key), {@code SkipCertVerify}.
     */
    TlsSettings tls() {
        return new TlsSettings(option("CaFile", null), option("CertFile", null), option("KeyFile", null),
                flag("SkipCertVerify"));
    }

    int qos() {
        String value = option("Qos", "0");
        return value.matches("[012]") ? Integer.parseInt(value) : 0;
    }

    /** The bus's address without credentials: {@code tcp://host:port (mqtt)}. */
    @Override
    public String toString() {
        return protocol + "://" + host + ":" + port + " (" + type.text + ")";
    }
}
