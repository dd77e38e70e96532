package io.tether.rule.internal.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

/** A rule's JSON, {@code {"id", "sql", "actions": [{"<type>": {props}}], "options", "triggered"}}, both ways. */
final class RuleRequest {

    private RuleRequest() {
    }

    /** @param pathId the id in the path, which wins over the body's; {@code null} on create */
    static RuleDefinition parse(String body, String pathId) {
        Map<String, Object> json = Json.parseObject(body);
        String id = pathId != null ? pathId : string(json, "id");
        if (id == null) {
            throw RuleException.invalid("rule id is required");
        }
        if (pathId == null) {
            RequestLimits.requireNewId("rule id", id);
        }
        String sql = string(json, "sql");
        if (sql == null) {
            throw RuleException.invalid("rule " + id + " has no sql");
        }
        RequestLimits.requireSqlLength(sql);
        Object triggered = json.getOrDefault("triggered", true);
        if (!(triggered instanceof Boolean)) {
            throw RuleException.invalid("triggered must be true or false");
        }
        return new RuleDefinition(id, sql, actions(json.get("actions")), (Boolean) triggered,
                options(json.get("options")));
    }

    static Map<String, Object> toJson(RuleDefinition rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rule.id());
        json.put("sql", rule.sql());
        json.put("actions", rule.actions().stream().map(action -> Map.of(action.type(), action.props())).toList());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("bufferLength", rule.options().bufferLength());
        options.put("overflow", rule.options().overflow().optionValue());
        json.put("options", options);
        json.put("triggered", rule.triggered());
        return json;
    }

    private static List<Action> actions(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw RuleException.invalid("actions must be a non-empty array of {\"<sink type>\": {props}}");
        }
        List<Action> actions = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> action) || action.size() != 1) {
                throw RuleException.invalid("each action must be an object with one sink type, like {\"log\": {}}");
            }
            Map.Entry<?, ?> entry = action.entrySet().iterator().next();
            if (!(entry.getValue() instanceof Map<?, ?> props)) {
                throw RuleException.invalid("the props of action " + entry.getKey() + " must be an object");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            props.forEach((k, v) -> copy.put(String.valueOf(k), v));
            actions.add(new Action(String.valueOf(entry.getKey()), copy));
        }
        return actions;
    }

    private static RuleOptions options(Object value) {
        if (value == null) {
            return RuleOptions.DEFAULT;
        }
        if (!(value instanceof Map<?, ?> options)) {
            throw RuleException.invalid("options must be an object, like {\"bufferLength\": 1024}");
        }
        int bufferLength = RuleOptions.DEFAULT_BUFFER_LENGTH;
        RuleOptions.Overflow overflow = RuleOptions.Overflow.BLOCK;
        for (Map.Entry<?, ?> option : options.entrySet()) {
            if ("bufferLength".equals(option.getKey())) {
                if (!(option.getValue() instanceof Integer length) || length < 1
                        || length > RuleOptions.MAX_BUFFER_LENGTH) {
                    throw RuleException.invalid("bufferLength must be a whole number from 1 to "
                            + RuleOptions.MAX_BUFFER_LENGTH + ", not " + option.getValue());
                }
                bufferLength = length;
            } else if ("overflow".equals(option.getKey())) {
                overflow = Arrays.stream(RuleOptions.Overflow.values())
                        .filter(candidate -> candidate.optionValue().equals(option.getValue()))
                        .findFirst()
                        .orElseThrow(() -> RuleException.invalid("overflow must be \"block\" or \"drop\", not "
                                + option.getValue()));
            } else {
                throw RuleException.invalid("rule option " + option.getKey() + " is not supported; supported: "
                        + "[bufferLength, overflow]");
            }
        }
        return new RuleOptions(bufferLength, overflow);
    }

    private static String string(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value != null && !(value instanceof String)) {
            throw RuleException.invalid(field + " must be a string");
        }
        return (String) value;
    }
}
