package io.tether.conn.sql.internal.source;

import java.util.Locale;

import io.tether.conn.sql.internal.Identifiers;
import io.tether.conn.sql.internal.Props;

/**
 * The index a source reads by: its field, its type, and the value to start after (the configuration's
 * {@code indexValue}, or {@code null} to start at the first row).
 */
record IndexSpec(String field, IndexType type, IndexValue initial) {

    /**
     * Reads {@code indexField}, {@code indexValue}, {@code indexFieldType} and {@code dateTimeFormat} of a query
     * configuration; {@code null} when it names no index field (or names it wrongly: a problem then).
     */
    static IndexSpec read(Props config) {
        if (!config.has("indexField")) {
            return null;
        }
        String problem = Identifiers.problem("indexField", config.get("indexField"));
        if (problem != null) {
            config.problem("indexField", problem);
            return null;
        }
        IndexType type = type(config);
        if (type == null) {
            return null;
        }
        IndexValue initial = null;
        if (config.has("indexValue")) {
            try {
                initial = type.fromConfig(config.get("indexValue"));
            } catch (IllegalArgumentException e) {
                config.problem("indexValue", e.getMessage());
                return null;
            }
        }
        return new IndexSpec(config.text("indexField"), type, initial);
    }

    private static IndexType type(Props config) {
        if (!config.has("indexFieldType")) {
            return new PlainIndex();
        }
        if (!config.text("indexFieldType").toUpperCase(Locale.ROOT).equals("DATETIME")) {
            config.problem("indexFieldType", "must be DATETIME, or absent for numbers and text; not '"
                    + config.text("indexFieldType") + "'");
            return null;
        }
        String format = config.has("dateTimeFormat") ? config.text("dateTimeFormat") : null;
        try {
            return new DateTimeIndex(format);
        } catch (IllegalArgumentException e) {
            config.problem("dateTimeFormat", "'" + format + "' is not a date-time format: " + e.getMessage());
            return null;
        }
    }
}
