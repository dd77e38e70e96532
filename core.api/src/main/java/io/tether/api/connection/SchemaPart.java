package io.tether.api.connection;

import java.util.Locale;

/**
 * The parts of a connector's props schema ({@link ConnectorFactory#SCHEMA_PROPERTY}): the props of its connections,
 * of its sources and of its sinks.
 *
 * @since 1.2
 */
public enum SchemaPart {
    CONNECTION, SOURCE, SINK;

    /** The part's name in the schema document: {@code connection}, {@code source} or {@code sink}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
