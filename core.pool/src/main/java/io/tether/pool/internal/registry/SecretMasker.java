package io.tether.pool.internal.registry;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets by the pool's own rules (SPEC §5), so that they hold whether or not a connection's type is
 * installed: props whose name a type declares secret or looks like a secret's, passwords inside URLs of any scheme
 * ({@code jdbc:} included), and secret-looking parameters ({@code password=...}) anywhere in a value or a text. Also
 * puts stored secrets back where a client sent the mask. Stateless and lock-free; never throws on odd values.
 */
public final class SecretMasker {
    public static final String MASK = "******";

    /** A name that holds a secret, wherever it is: a prop, a URL query parameter, a {@code key=value} in a text. */
    private static final String SECRET_NAME = "passw|pwd|secret|token|api[_-]?key|privatekey|credential";
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(?:" + SECRET_NAME + ").*");
    /** The password of a URL's userinfo: {@code scheme://user:PASSWORD@host}; a password may hold an {@code @}. */
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\\s]*:)([^/?#\\s]*)(@)");
    /** {@code name=VALUE} where the name looks like a secret's: URL query parameters, JDBC properties, texts. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?<![\\w.-])[\\w.-]*(?:" + SECRET_NAME + ")[\\w.-]*=)([^&;,\\s'\"()\\[\\]{}<>]+)");
    /** Deeper than any real props: beyond it a value is masked whole rather than walked (a cyclic structure). */
    private static final int MAX_DEPTH = 32;

    private SecretMasker() {
    }

    /** The props as they may be shown, at any depth. */
    public static Map<String, Object> mask(Map<String, Object> props, Set<String> declaredSecrets) {
        return props == null ? null : maskMap(props, declaredSecrets == null ? Set.of() : declaredSecrets, 0);
    }

    /** A text (an error, a log argument) with every password inside a URL or a secret-looking parameter masked. */
    public static String maskText(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String masked = replaceGroup2(URL_PASSWORD, text);
        return replaceGroup2(SECRET_PARAMETER, masked);
    }

    /**
     * A text with {@link #maskText} applied and, beyond it, every occurrence of a secret value of {@code props}
     * masked: an error that quotes a connection's password word for word does not show it either.
     */
    static String maskText(String text, Map<String, Object> props, Set<String> declaredSecrets) {
        String masked = maskText(text);
        if (masked == null || props == null) {
            return masked;
        }
        for (Map.Entry<String, Object> prop : props.entrySet()) {
            if (prop.getValue() instanceof String value && value.length() >= 3
                    && isSecretKey(prop.getKey(), declaredSecrets)) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }

    static boolean isSecretKey(String key, Set<String> declaredSecrets) {
        return key != null && (declaredSecrets.contains(key) || SECRET_KEY.matcher(key).matches());
    }

    /** A cheap test that keeps texts without {@code ://} or {@code =} (most log arguments) off the regexes. */
    private static boolean mayHoldSecret(String text) {
        return text.indexOf('=') >= 0 || text.contains("://");
    }

    private static String replaceGroup2(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        do {
            if (!m.group(2).isEmpty() && !m.group(2).equals(MASK)) {
                out.append(text, from, m.start(2)).append(MASK);
                from = m.end(2);
            }
        } while (m.find());
        return out.append(text, from, text.length()).toString();
    }

    private static Map<String, Object> maskMap(Map<?, ?> props, Set<String> declaredSecrets, int depth) {
        Map<String, Object> masked = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            String name = String.valueOf(key);
            masked.put(name, maskValue(name, value, declaredSecrets, depth + 1));
        });
        return masked;
    }

    private static Object maskValue(String key, Object value, Set<String> declaredSecrets, int depth) {
        if (value == null) {
            return null;
        }
        if (isSecretKey(key, declaredSecrets) || depth > MAX_DEPTH) {
            return MASK;
        }
        if (value instanceof String text) {
            return maskText(text);
        }
        if (value instanceof Map<?, ?> map) {
            return maskMap(map, declaredSecrets, depth);
        }
        if (value instanceof Collection<?> items) {
            List<Object> masked = new ArrayList<>(items.size());
            items.forEach(item -> masked.add(maskValue("", item, declaredSecrets, depth + 1)));
            return masked;
        }
        if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            List<Object> masked = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                masked.add(maskValue("", Array.get(value, i), declaredSecrets, depth + 1));
            }
            return masked;
        }
        return value;
    }

    /**
     * The props a client sent, with every value that equals the masked form of the stored value replaced by the
     * stored value: sending back what a GET showed keeps the secrets, at any depth.
     */
    public static Map<String, Object> restore(Map<String, Object> sent, Map<String, Object> stored,
            Set<String> declaredSecrets) {
        Map<String, Object> restored = new LinkedHashMap<>();
        sent.forEach((key, value) -> restored.put(key,
                restoreValue(key, value, stored.get(key), declaredSecrets, 0)));
        return restored;
    }

    private static Object restoreValue(String key, Object sent, Object stored, Set<String> declaredSecrets,
            int depth) {
        if (stored == null || sent == null) {
            return sent;
        }
        if (sent instanceof Map<?, ?> sentMap && stored instanceof Map<?, ?> storedMap && depth < MAX_DEPTH) {
            Map<String, Object> restored = new LinkedHashMap<>();
            sentMap.forEach((k, v) -> restored.put(String.valueOf(k),
                    restoreValue(String.valueOf(k), v, storedMap.get(k), declaredSecrets, depth + 1)));
            return restored;
        }
        if (Objects.equals(sent, maskValue(key, stored, declaredSecrets, depth))) {
            return stored;
        }
        return sent;
    }

    /**
     * A throwable fit for a log: the same class name, stack and causes, with every message masked. Loggers print
     * messages of causes too, so masking the top message alone would not do.
     */
    public static Throwable forLog(Throwable thrown) {
        return thrown == null ? null : masked(thrown, 0);
    }

    private static Throwable masked(Throwable thrown, int depth) {
        Throwable cause = thrown.getCause() == null || thrown.getCause() == thrown || depth > 8 ? null
                : masked(thrown.getCause(), depth + 1);
        MaskedThrowable copy = new MaskedThrowable(thrown.getClass().getName()
                + (thrown.getMessage() == null ? "" : ": " + maskText(thrown.getMessage())), cause);
        copy.setStackTrace(thrown.getStackTrace());
        return copy;
    }

    /** Stands in for a throwable in a log line: prints as {@code original.Class: masked message}. */
    private static final class MaskedThrowable extends Exception {
        private static final long serialVersionUID = 1L;

        MaskedThrowable(String text, Throwable cause) {
            super(text, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
