package io.tether.rule.internal.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceProvider;

/** The built-in {@code simulator} source: {@code interval} in ms [1000], {@code data} a list of records [generated]. */
public final class SimulatorSourceProvider implements SourceProvider {
    public static final String TYPE = "simulator";
    static final long DEFAULT_INTERVAL = 1000;

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        if (interval(props) <= 0) {
            problems.add(new PropError("interval", "interval must be a positive number of milliseconds"));
        }
        Object data = props.get("data");
        if (data != null && !(data instanceof List<?> list && list.stream().allMatch(Map.class::isInstance))) {
            problems.add(new PropError("data", "data must be a list of records"));
        }
        return problems;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Source create(String datasource, Map<String, Object> props) {
        return new SimulatorSource(interval(props),
                (List<Map<String, Object>>) props.getOrDefault("data", List.of()));
    }

    private static long interval(Map<String, Object> props) {
        Object value = props.getOrDefault("interval", DEFAULT_INTERVAL);
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
