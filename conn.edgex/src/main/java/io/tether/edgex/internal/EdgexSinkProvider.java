package io.tether.edgex.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.kit.AnonymousKeys;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.NodeProps;

/** Sinks that publish each emission as one EdgeX Event (or AddEventRequest) in an envelope. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + EdgexConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + EdgexConnectorFactory.SCHEMA})
public final class EdgexSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        NodeProps node = new NodeProps(props).checkConnection(own -> BusSettings.of(own).problems());
        SinkSettings.of(props).problems().forEach(problem -> node.problem(problem.prop(), problem.message()));
        return node.problems();
    }

    @Override
    public Sink create(Map<String, Object> props) {
        SinkSettings settings = SinkSettings.of(props);
        return new ConnectedSink<>(EdgexConnectorFactory.TYPE, EdgexConnection.class, props) {
            @Override
            protected String anonymousKey(SinkContext context) {
                return EdgexSinkProvider.anonymousKey(props);
            }

            @Override
            protected CompletionStage<Void> deliver(EdgexConnection connection, List<Map<String, Object>> records) {
                EventBuilder.Built built = new EventBuilder(settings, context().ruleId()).build(records);
                built.problems().forEach(problem -> context().reportError(new IllegalArgumentException(problem)));
                Envelope envelope = new Envelope(Envelope.API_VERSION, "", UUID.randomUUID().toString(),
                        built.requestId(), 0, built.payload(), settings.contentType(), Map.of());
                return connection.publish(built.topic(), envelope);
            }
        };
    }

    /**
     * Sources and sinks without connectionSelector share one client per bus (and options): the key shows the bus's
     * address and type; the options, password included, only as a digest.
     */
    static String anonymousKey(Map<String, Object> props) {
        BusSettings settings = BusSettings.of(props);
        Map<String, String> options = new LinkedHashMap<>(settings.optional());
        String password = options.remove("Password");
        return AnonymousKeys.shared(settings.toString(), options.isEmpty() ? null : options.toString(), password);
    }
}
