package io.tether.conn.sql.internal;

import java.util.regex.Pattern;

/**
 * Table and column names go into SQL text (values never do): each must be a plain identifier, so that no name can
 * change what a statement does.
 */
public final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Identifiers() {
    }

    public static boolean isValid(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** The problem with a name given for {@code what}, or {@code null} when it is a valid identifier. */
    public static String problem(String what, Object name) {
        if (!(name instanceof String text) || text.isEmpty()) {
            return what + " is required";
        }
        return isValid(text) ? null
                : what + " '" + text + "' is not a valid identifier ([A-Za-z_][A-Za-z0-9_]*)";
    }
}
