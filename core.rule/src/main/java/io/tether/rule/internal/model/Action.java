package io.tether.rule.internal.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One of a rule's actions: a sink type and its props, {@code {"mqtt": {"topic": "out"}}} in a rule's JSON. */
public record Action(String type, Map<String, Object> props) {

    public Action {
        props = Collections.unmodifiableMap(new LinkedHashMap<>(props));
    }

    /** {@code sendSingle: true} sends one message per record instead of one JSON array per emission. */
    public boolean sendSingle() {
        Object value = props.get("sendSingle");
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    /** @throws IllegalArgumentException naming a cache prop whose value is not valid */
    public SinkCacheSettings cacheSettings() {
        return SinkCacheSettings.of(props);
    }

    /** The props the sink's provider gets: all but the cache's. */
    public Map<String, Object> sinkProps() {
        return SinkCacheSettings.sinkProps(props);
    }
}
