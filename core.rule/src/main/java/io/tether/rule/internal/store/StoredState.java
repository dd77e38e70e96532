package io.tether.rule.internal.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.tether.rule.internal.model.RuleDefinition;

/**
 * What the rule store keeps: each stream's {@code CREATE STREAM} statement by name, and the rules.
 */
public record StoredState(@JsonProperty("streams") Map<String, String> streams,
        @JsonProperty("rules") List<RuleDefinition> rules) {
    public static final StoredState EMPTY = new StoredState(Map.of(), List.of());

    public StoredState {
        streams = streams == null ? Map.of() : new TreeMap<>(streams);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
