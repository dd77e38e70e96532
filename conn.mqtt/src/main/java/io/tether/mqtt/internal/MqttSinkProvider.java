package io.tether.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkProvider;
import io.tether.lib.mqtt.TopicFilters;

/** MQTT sinks: {@code topic} (no wildcards), {@code qos} [1], {@code retained} [false]. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + MqttConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=OSGI-INF/tether/schema/mqtt.json"})
public final class MqttSinkProvider implements SinkProvider {
    static final String TOPIC = "topic";
    static final String RETAINED = "retained";

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        Object topic = props.get(TOPIC);
        if (topic == null || String.valueOf(topic).isEmpty()) {
            problems.add(new PropError(TOPIC, "mqtt sink is missing property topic"));
        } else if (!(topic instanceof String)) {
            problems.add(new PropError(TOPIC, "topic must be a string"));
        } else if (TopicFilters.hasWildcard(String.valueOf(topic))) {
            problems.add(new PropError(TOPIC, "mqtt sink topic shouldn't contain # or +"));
        }
        problems.addAll(MqttProps.validateNode(props));
        Object retained = props.get(RETAINED);
        if (retained != null && MqttProps.parseBoolean(retained) == null) {
            problems.add(new PropError(RETAINED, "retained must be true or false"));
        }
        return problems;
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new MqttSink(String.valueOf(props.get(TOPIC)), Qos.parseOrDefault(props.get(MqttProps.QOS)),
                Boolean.TRUE.equals(MqttProps.parseBoolean(props.getOrDefault(RETAINED, false))), props);
    }
}
