package io.tether.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceProvider;
import io.tether.lib.mqtt.TopicFilters;

/** MQTT sources: {@code datasource} is the topic filter (wildcards allowed), {@code qos} [1]. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + MqttConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=OSGI-INF/tether/schema/mqtt.json"})
public final class MqttSourceProvider implements SourceProvider {
    static final String DATASOURCE = "datasource";

    private final MqttRuntime runtime;

    @Activate
    public MqttSourceProvider(@Reference MqttRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>();
        String problem = TopicFilters.problem(datasource);
        if (problem != null) {
            problems.add(new PropError(DATASOURCE, problem));
        }
        problems.addAll(MqttProps.validateNode(props));
        return problems;
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        return new MqttSource(runtime, datasource, Qos.parseOrDefault(props.get(MqttProps.QOS)), props);
    }
}
