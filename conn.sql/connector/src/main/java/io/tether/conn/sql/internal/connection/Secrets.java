package io.tether.conn.sql.internal.connection;

import java.util.regex.Pattern;

/** Keeps passwords out of messages and logs. */
public final class Secrets {
    public static final String MASK = "******";

    private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\\s]*:)([^@/?#\\s]*)(@)");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)([^&;\\s]*)");

    private Secrets() {
    }

    /** The text with the password of every URL in it, and every {@code password=} parameter, masked. */
    public static String maskUrl(String text) {
        if (text == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "$3");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }

    /** A driver's message with URLs masked and the password itself, should the driver quote it, replaced. */
    public static String scrub(String message, String password) {
        String masked = maskUrl(message);
        if (masked != null && password != null && !password.isEmpty()) {
            masked = masked.replace(password, MASK);
        }
        return masked;
    }
}
