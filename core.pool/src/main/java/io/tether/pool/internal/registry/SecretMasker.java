package io.tether.pool.internal.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in props by the pool's own rules (SPEC §5): keys that a type declares secret, keys that look like
 * secrets, and the password part of URL-shaped values. Also puts stored secrets back where a client sent the mask.
 */
public final class SecretMasker {
    public static final String MASK = "******";

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|privatekey).*");
    private static final Pattern URL_PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@]*:)([^@/?#]*)(@.*)$");

    private SecretMasker() {
    }

    public static Map<String, Object> mask(Map<String, Object> props, Set<String> declaredSecrets) {
        Map<String, Object> masked = new LinkedHashMap<>();
        props.forEach((key, value) -> masked.put(key, maskValue(key, value, declaredSecrets)));
        return masked;
    }

    /** For logs: the text with any URL password masked. */
    public static String maskUrls(String text) {
        return text == null ? null : URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "$3");
    }

    private static Object maskValue(String key, Object value, Set<String> declaredSecrets) {
        if (value == null) {
            return null;
        }
        if (isSecretKey(key, declaredSecrets)) {
            return MASK;
        }
        if (value instanceof Map<?, ?> map) {
            return mask(stringKeys(map), declaredSecrets);
        }
        if (value instanceof List<?> list) {
            List<Object> masked = new ArrayList<>(list.size());
            list.forEach(item -> masked.add(maskValue("", item, declaredSecrets)));
            return masked;
        }
        if (value instanceof String text) {
            Matcher m = URL_PASSWORD.matcher(text);
            if (m.matches() && !m.group(2).isEmpty()) {
                return m.group(1) + MASK + m.group(3);
            }
        }
        return value;
    }

    private static boolean isSecretKey(String key, Set<String> declaredSecrets) {
        return declaredSecrets.contains(key) || SECRET_KEY.matcher(key).matches();
    }

    /**
     * The props a client sent, with every value that equals the masked form of the stored value replaced by the
     * stored value: sending back what a GET showed keeps the secrets.
     */
    public static Map<String, Object> restore(Map<String, Object> sent, Map<String, Object> stored,
            Set<String> declaredSecrets) {
        Map<String, Object> restored = new LinkedHashMap<>();
        sent.forEach((key, value) -> restored.put(key,
                restoreValue(key, value, stored.get(key), declaredSecrets)));
        return restored;
    }

    private static Object restoreValue(String key, Object sent, Object stored, Set<String> declaredSecrets) {
        if (stored == null || sent == null) {
            return sent;
        }
        if (sent instanceof Map<?, ?> sentMap && stored instanceof Map<?, ?> storedMap) {
            return restore(stringKeys(sentMap), stringKeys(storedMap), declaredSecrets);
        }
        if (sent instanceof String text && text.contains(MASK)
                && text.equals(maskValue(key, stored, declaredSecrets))) {
            return stored;
        }
        return sent;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
