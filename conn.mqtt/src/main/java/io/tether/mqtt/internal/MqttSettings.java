package io.tether.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;

/**
 * The connection props of type {@code mqtt} (SPEC §9), checked and read. Props of sources and sinks that travel with
 * them (qos, topic, datasource) are checked where they are used, except {@code qos}, which is checked here too so that
 * a connection's props cannot carry a bad one.
 *
 * @param clientId {@code null} when the props name none: a random one is made per connection
 */
record MqttSettings(String server, ProtocolVersion protocolVersion, String clientId, String username,
        String password, boolean cleanSession, int keepAliveSeconds, int maxInflight, int receiveMaximum,
        TlsSettings tls) {

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

    static final int DEFAULT_KEEP_ALIVE_SECONDS = 30;
    static final int DEFAULT_MAX_INFLIGHT = 1000;
    /**
     * MQTT 5: how many QoS 1 and 2 messages the broker may send before the first is acknowledged. Each is acknowledged
     * once every rule it goes to has taken it, so this bounds what waits in the connection for slow rules.
     */
    static final int DEFAULT_RECEIVE_MAXIMUM = 100;
    private static final int MAX_RECEIVE_MAXIMUM = 65535;
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final String MASK = "******";

    /**
     * The problems of a source's or sink's props: its QoS, and the connection props unless it names a connection
     * with {@code connectionSelector} (then the pool checks that connection's props).
     */
    static List<PropError> validateNode(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (Qos.parseOrDefault(props.get(QOS)) < 0) {
            problems.add(Qos.invalid(props.get(QOS)));
        }
        NodeProps.connectionProblems(props, MqttSettings::validate).stream()
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
        if (problems.stream().noneMatch(problem -> problem.prop().equals(RECEIVE_MAXIMUM))
                && intOr(props.get(RECEIVE_MAXIMUM), DEFAULT_RECEIVE_MAXIMUM) > MAX_RECEIVE_MAXIMUM) {
            problems.add(new PropError(RECEIVE_MAXIMUM, RECEIVE_MAXIMUM + " must be at most " + MAX_RECEIVE_MAXIMUM
                    + ", not " + props.get(RECEIVE_MAXIMUM)));
        }
        Object session = props.get(ENABLE_CLIENT_SESSION);
        if (session != null && parseBoolean(session) == null) {
            problems.add(new PropError(ENABLE_CLIENT_SESSION, "enableClientSession must be true or false"));
        }
        problems.addAll(TlsSettings.validate(props));
        return problems;
    }

    /** Reads props that {@link #validate} accepted. */
    static MqttSettings of(Map<String, Object> props) {
        String clientId = (String) props.get(CLIENT_ID);
        return new MqttSettings(
                String.valueOf(props.get(SERVER)).strip(),
                props.containsKey(PROTOCOL_VERSION) ? ProtocolVersion.parse(props.get(PROTOCOL_VERSION))
                        : ProtocolVersion.V3_1_1,
                clientId == null || clientId.isBlank() ? null : clientId,
                stringOrNull(props.get(USERNAME)),
                stringOrNull(props.get(PASSWORD)),
                !Boolean.TRUE.equals(parseBoolean(props.getOrDefault(ENABLE_CLIENT_SESSION, false))),
                intOr(props.get(KEEP_ALIVE), DEFAULT_KEEP_ALIVE_SECONDS),
                intOr(props.get(MAX_INFLIGHT), DEFAULT_MAX_INFLIGHT),
                intOr(props.get(RECEIVE_MAXIMUM), DEFAULT_RECEIVE_MAXIMUM),
                TlsSettings.of(props));
    }

    boolean persistentSession() {
        return !cleanSession;
    }

    private static Optional<PropError> serverProblem(String server) {
        String shown = masked(server);
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

    /**
     * A server URL as messages show it: the password of its userinfo ({@code tcp://user:pw@host}) replaced by
     * {@code ******}. The userinfo is taken to end at the last {@code @}, so that a password holding {@code @} or
     * {@code /} is masked whole (at worst more than the password is masked).
     */
    static String masked(String server) {
        int at = server.lastIndexOf('@');
        if (at < 0) {
            return server;
        }
        int schemeEnd = server.indexOf("://");
        int userinfo = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        int colon = server.indexOf(':', userinfo);
        if (colon < 0 || colon > at) {
            return server;
        }
        return server.substring(0, colon + 1) + MASK + server.substring(at);
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

    @Override
    public String toString() {
        return "MqttSettings[" + masked(server) + ", " + protocolVersion + ", clientid " + clientId + "]";
    }
}
