package io.tether.rule.internal.sql;

import java.util.List;

/**
 * A parsed {@code CREATE STREAM}.
 *
 * @param type       the source type, lower-case ({@code mqtt} when TYPE is not given, as eKuiper)
 * @param datasource DATASOURCE, empty when not given
 * @param format     {@code json} or {@code binary}
 * @param confKey    CONF_KEY, {@code null} when not given
 */
public record StreamDefinition(String name, List<StreamField> fields, String type, String datasource, String format,
        String confKey, boolean shared) {

    public StreamDefinition {
        fields = List.copyOf(fields);
    }
}
