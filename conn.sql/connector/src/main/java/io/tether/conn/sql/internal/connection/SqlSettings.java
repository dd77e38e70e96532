package io.tether.conn.sql.internal.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.api.kit.AnonymousKeys;
import io.tether.conn.sql.internal.Props;

/**
 * A connection's props: the database URL ({@code dburl}, or {@code url} as sources and sinks spell it), optional
 * {@code username}/{@code password} for URLs that hold none, and the pool's size and wait.
 */
public record SqlSettings(DatabaseUrl url, int maxConnections, Duration connectionTimeout) {

    public static final String DBURL = "dburl";
    public static final String URL = "url";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String MAX_CONNECTIONS = "maxConnections";
    public static final String CONNECTION_TIMEOUT = "connectionTimeout";

    /** The props that make a connection; a source's or sink's other props stay out of the pool. */
    private static final Set<String> CONNECTION_PROPS = Set.of(DBURL, URL, USERNAME, PASSWORD, MAX_CONNECTIONS,
            CONNECTION_TIMEOUT, ConnectionPool.CONNECTION_SELECTOR);

    static final int DEFAULT_MAX_CONNECTIONS = 4;
    /** Also the longest wait of a ping for a pooled connection: keep it below the pool's ping bound (its
     * {@code pingTimeoutMillis}, 2 s by default), so that a failing ping reports the driver's message. */
    static final long DEFAULT_CONNECTION_TIMEOUT_MS = 1000;
    /** HikariCP's least connection timeout. */
    private static final long MIN_CONNECTION_TIMEOUT_MS = 250;

    public static List<PropError> validate(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        read(props, problems);
        return problems;
    }

    /** @throws IllegalArgumentException when {@link #validate} finds problems */
    public static SqlSettings of(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        SqlSettings settings = read(props, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).prop() + ": " + problems.get(0).message());
        }
        return settings;
    }

    private static SqlSettings read(Map<String, Object> values, List<PropError> problems) {
        Props props = new Props(values, problems);
        String urlProp = props.get(DBURL) != null ? DBURL : URL;
        DatabaseUrl url = null;
        try {
            url = DatabaseUrl.parse(props.text(urlProp), props.text(USERNAME), props.text(PASSWORD));
        } catch (IllegalArgumentException e) {
            props.problem(urlProp, e.getMessage());
        }
        int maxConnections = (int) props.number(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 1, 100);
        long timeout = props.number(CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT_MS, MIN_CONNECTION_TIMEOUT_MS,
                600_000);
        return new SqlSettings(url, maxConnections, Duration.ofMillis(timeout));
    }

    /** The props of a source or sink that concern its connection. */
    public static Map<String, Object> connectionProps(Map<String, Object> props) {
        Map<String, Object> connection = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (CONNECTION_PROPS.contains(key)) {
                connection.put(key, value);
            }
        });
        return connection;
    }

    /**
     * The key of the anonymous connection of a source or sink: its URL (SPEC §1), which the pool turns into the
     * connection's id; so a password in it is masked, and a salted digest of the whole URL keeps apart connections
     * that differ only by password.
     */
    public static String anonymousKey(Map<String, Object> props) {
        String url = String.valueOf(props.get(props.get(DBURL) != null ? DBURL : URL)).strip();
        String masked = Secrets.maskUrl(url);
        return AnonymousKeys.shared(masked, masked.equals(url) ? null : url, props.get(PASSWORD));
    }
}
