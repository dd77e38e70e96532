package io.tether.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;
import io.tether.lib.mqtt.MqttClientSettings;
import io.tether.lib.mqtt.ProtocolVersion;
import io.tether.lib.mqtt.TlsSettings;

/**
 * The connection props of type {@code mqtt} (SPEC §9), checked and read into the client's settings. Props of sources
 * and sinks that travel with them (qos, topic, datasource) are checked where they are used, except {@code qos}, which
 * is checked here too so that a connection's props cannot carry a bad one.
 */
final class MqttProps {
    static final String SERVER = "server";
    static final String PROTOCOL_VERSION = "protocolVersion";
    static final String CLIENT_ID = "clientid";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String ENABLE_CLIENT_SESSION = "enableClientSession";
    static final String KEEP_ALIVE = "keepAlive";
    static final String MAX_INFLIGHT = "maxInflight";
    static final String RECEIVE_MAXIMUM = "receiveMaximum";
    static final String QOS = "qos";

    static final String ROOT_CA_PATH = "rootCaPath";
    static final String CERTIFICATION_PATH = "certificationPath";
    static final String PRIVATE_KEY_PATH = "privateKeyPath";
    static final String INSECURE_SKIP_VERIFY = "insecureSkipVerify";

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    private MqttProps() {
    }

    /**
     * The problems of a source's or sink's props: its QoS, and the connection props unless it names a connection
     * with {@code connectionSelector} (then the pool checks that connection's props).
     */
    static List<PropError> validateNode(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (Qos.parseOrDefault(props.get(QOS)) < 0) {
            problems.add(Qos.invalid(props.get(QOS)));
        }
        NodeProps.connectionProblems(props, MqttProps::validate).stream()
                .filter(error -> !error.prop().equals(QOS)).forEach(problems::add);
        return problems;
    }

    /** Every problem of the props, each naming its prop. Reads TLS files' existence, nothing else outside. */
    static List<PropError> validate(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        Object server = props.get(SERVER);
        if (server == null || String.valueOf(server).isBlank()) {
            problems.add(new PropError(SERVER, "missing server property"));
        } else {
            serverProblem(String.valueOf(server)).ifPresent(problems::add);
        }
        if (props.containsKey(PROTOCOL_VERSION) && ProtocolVersion.parse(props.get(PROTOCOL_VERSION)) == null) {
            problems.add(new PropError(PROTOCOL_VERSION,
                    "unsupported protocol version " + props.get(PROTOCOL_VERSION)));
        }
        if (props.containsKey(QOS) && Qos.parse(props.get(QOS)) < 0) {
            problems.add(Qos.invalid(props.get(QOS)));
        }
        Object clientId = props.get(CLIENT_ID);
        if (clientId != null && !(clientId instanceof String)) {
            problems.add(new PropError(CLIENT_ID, "clientid must be a string"));
        }
        positive(props, KEEP_ALIVE, problems);
        positive(props, MAX_INFLIGHT, problems);
        positive(props, RECEIVE_MAXIMUM, problems);
        int receiveMaximum = intOr(props.get(RECEIVE_MAXIMUM), MqttClientSettings.DEFAULT_RECEIVE_MAXIMUM);
        if (problems.stream().noneMatch(problem -> problem.prop().equals(RECEIVE_MAXIMUM))
                && receiveMaximum > MqttClientSettings.MAX_RECEIVE_MAXIMUM) {
            problems.add(new PropError(RECEIVE_MAXIMUM, RECEIVE_MAXIMUM + " must be at most "
                    + MqttClientSettings.MAX_RECEIVE_MAXIMUM + ", not " + props.get(RECEIVE_MAXIMUM)));
        }
        Object session = props.get(ENABLE_CLIENT_SESSION);
        if (session != null && parseBoolean(session) == null) {
            problems.add(new PropError(ENABLE_CLIENT_SESSION, "enableClientSession must be true or false"));
        }
        problems.addAll(tlsProblems(props));
        return problems;
    }

    /** Reads props that {@link #validate} accepted. */
    static MqttClientSettings of(Map<String, Object> props) {
        String clientId = (String) props.get(CLIENT_ID);
        return new MqttClientSettings(
                String.valueOf(props.get(SERVER)).strip(),
                props.containsKey(PROTOCOL_VERSION) ? ProtocolVersion.parse(props.get(PROTOCOL_VERSION))
                        : ProtocolVersion.V3_1_1,
                clientId == null || clientId.isBlank() ? null : clientId,
                stringOrNull(props.get(USERNAME)),
                stringOrNull(props.get(PASSWORD)),
                !Boolean.TRUE.equals(parseBoolean(props.getOrDefault(ENABLE_CLIENT_SESSION, false))),
                intOr(props.get(KEEP_ALIVE), MqttClientSettings.DEFAULT_KEEP_ALIVE_SECONDS),
                intOr(props.get(MAX_INFLIGHT), MqttClientSettings.DEFAULT_MAX_INFLIGHT),
                intOr(props.get(RECEIVE_MAXIMUM), MqttClientSettings.DEFAULT_RECEIVE_MAXIMUM),
                tls(props));
    }

    private static Optional<PropError> serverProblem(String server) {
        String shown = MqttClientSettings.masked(server);
        try {
            URI uri = new URI(server.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme)) {
                return Optional.of(new PropError(SERVER, "unsupported scheme in server " + shown
                        + ": use tcp://, ssl://, ws:// or wss://"));
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.of(new PropError(SERVER, "server " + shown + " has no host"));
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            // the reason only: URISyntaxException.getMessage() quotes the whole input
            return Optional.of(new PropError(SERVER, "invalid server " + shown + ": " + e.getReason()));
        }
    }

    private static void positive(Map<String, Object> props, String prop, List<PropError> problems) {
        Object value = props.get(prop);
        if (value != null && intOr(value, -1) <= 0) {
            problems.add(new PropError(prop, prop + " must be a positive integer, not " + value));
        }
    }

    static int intOr(Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : -1;
        }
        try {
            return Integer.parseInt(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Boolean parseBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String stringOrNull(Object value) {
        return value == null || String.valueOf(value).isEmpty() ? null : String.valueOf(value);
    }

    /** TLS: PEM files for the trusted CA and the client's certificate and key, and insecureSkipVerify. */
    private static List<PropError> tlsProblems(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        for (String prop : List.of(ROOT_CA_PATH, CERTIFICATION_PATH, PRIVATE_KEY_PATH)) {
            Object path = props.get(prop);
            if (path != null && !String.valueOf(path).isEmpty() && !Files.isReadable(Path.of(String.valueOf(path)))) {
                problems.add(new PropError(prop, "cannot read file " + path));
            }
        }
        if (present(props, CERTIFICATION_PATH) != present(props, PRIVATE_KEY_PATH)) {
            problems.add(new PropError(present(props, CERTIFICATION_PATH) ? PRIVATE_KEY_PATH : CERTIFICATION_PATH,
                    "certificationPath and privateKeyPath go together"));
        }
        Object skip = props.get(INSECURE_SKIP_VERIFY);
        if (skip != null && parseBoolean(skip) == null) {
            problems.add(new PropError(INSECURE_SKIP_VERIFY, "insecureSkipVerify must be true or false"));
        }
        return problems;
    }

    private static TlsSettings tls(Map<String, Object> props) {
        return new TlsSettings(pathOrNull(props, ROOT_CA_PATH), pathOrNull(props, CERTIFICATION_PATH),
                pathOrNull(props, PRIVATE_KEY_PATH),
                Boolean.TRUE.equals(parseBoolean(props.getOrDefault(INSECURE_SKIP_VERIFY, false))));
    }

    private static boolean present(Map<String, Object> props, String prop) {
        return pathOrNull(props, prop) != null;
    }

    private static String pathOrNull(Map<String, Object> props, String prop) {
        Object value = props.get(prop);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }
}
