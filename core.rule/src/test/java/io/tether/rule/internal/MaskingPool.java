package io.tether.rule.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.StatusListener;

/**
 * A pool for tests that use no pooled connection: it masks as {@link ConnectionPool#maskSecrets} promises (secret
 * names, passwords in URLs of any scheme and in {@code password=}/{@code pwd=} parameters, anywhere in a text),
 * so that the rule layer's tests prove it masks wherever it shows props and texts.
 */
public final class MaskingPool implements ConnectionPool {
    public static final String MASK = "******";
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(passw|pwd|secret|token|api_?key|privatekey|credential).*");
    private static final Pattern URL_PASSWORD =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\\s]*:)[^@/?#\\s]+@");
    private static final Pattern PARAMETER_PASSWORD = Pattern.compile("(?i)((?:password|pwd)=)[^&;\\s\"']+");

    /** What {@link #validateProps} answers, by {@code <type>/<part>}: stands in for the schemas bundles declare. */
    public final Map<String, List<PropError>> schemaProblems = new ConcurrentHashMap<>();

    @Override
    public List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props) {
        return schemaProblems.getOrDefault(typ + "/" + part.key(), List.of());
    }

    @Override
    public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
        Map<String, Object> masked = new LinkedHashMap<>();
        props.forEach((key, value) -> masked.put(key, value == null ? null
                : secretNames.contains(key) || SECRET_NAME.matcher(key).matches() ? MASK
                : maskValue(typ, value, secretNames)));
        return masked;
    }

    @SuppressWarnings("unchecked")
    private Object maskValue(String typ, Object value, Set<String> secretNames) {
        if (value instanceof Map<?, ?> map) {
            return maskSecrets(typ, (Map<String, Object>) map, secretNames);
        }
        if (value instanceof List<?> list) {
            List<Object> masked = new ArrayList<>();
            list.forEach(item -> masked.add(maskValue(typ, item, secretNames)));
            return masked;
        }
        return value instanceof String text ? maskSecrets(text) : value;
    }

    @Override
    public String maskSecrets(String text) {
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
        return PARAMETER_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
    }

    @Override
    public ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
            StatusListener listener) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public void detach(ConnectionHandle handle) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public ConnectionInfo create(String id, String typ, Map<String, Object> props) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public ConnectionInfo update(String id, String typ, Map<String, Object> props) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public void delete(String id) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public Optional<ConnectionInfo> get(String id) {
        return Optional.empty();
    }

    @Override
    public List<ConnectionInfo> list(boolean includeAnonymous) {
        return List.of();
    }

    @Override
    public void check(String typ, Map<String, Object> props, Duration timeout) {
        throw new UnsupportedOperationException("no pooled connections in this test");
    }

    @Override
    public Set<String> installedTypes() {
        return Set.of();
    }
}
