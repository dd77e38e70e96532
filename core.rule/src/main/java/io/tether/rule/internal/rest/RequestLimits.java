package io.tether.rule.internal.rest;

import java.util.regex.Pattern;

import io.tether.rule.internal.RuleException;

/**
 * What a new stream, rule or conf key must satisfy (README, "Limits"). Applied when one is created or its SQL given,
 * never to what was stored before: that still loads and can be deleted.
 */
final class RequestLimits {
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_SQL_LENGTH = Integer.getInteger("tether.sql.maxLength", 64 * 1024);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID_LENGTH + "}");
    private static final int SHOWN = 40;

    private RequestLimits() {
    }

    /** @param what "rule id", "stream name", "conf key" */
    static void requireNewId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw RuleException.invalid(what + " '" + shown(id) + "' is invalid: use 1 to " + MAX_ID_LENGTH
                    + " letters, digits, '_' or '-'");
        }
    }

    static void requireSqlLength(String sql) {
        if (sql.length() > MAX_SQL_LENGTH) {
            throw RuleException.invalid("sql is longer than " + MAX_SQL_LENGTH + " characters");
        }
    }

    private static String shown(String id) {
        if (id == null) {
            return "";
        }
        return id.length() <= SHOWN ? id : id.substring(0, SHOWN) + "...";
    }
}
