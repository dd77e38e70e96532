package io.tether.neuron.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;
import io.tether.api.io.DeliveryException;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.kit.ConnectedSink;
import io.tether.api.kit.NodeProps;
import io.tether.neuron.internal.NeuronConnectorFactory.Settings;

/**
 * Neuron sinks: each record as one write {@code {"group_name","node_name","tags":[{"tag_name","value"}]}} (the
 * {@code tags} fields, or all of them), or with {@code raw} the rule's encoded emission as it is. A send while no
 * pipe is attached fails at once, retryable: {@value NeuronConnection#NOT_ESTABLISHED}.
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + NeuronConnectorFactory.NODE_TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + NeuronConnectorFactory.SCHEMA})
public final class NeuronSinkProvider implements SinkProvider {

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return Writes.of(props).problems();
    }

    @Override
    public Sink create(Map<String, Object> props) {
        Writes writes = Writes.of(props);
        return new ConnectedSink<>(NeuronConnectorFactory.TYPE, NeuronConnection.class, props) {
            @Override
            protected String anonymousKey(SinkContext context) {
                return Settings.of(props).anonymousKey();
            }

            @Override
            protected NeuronConnection connection() throws DeliveryException {
                ConnectionHandle attached = handle();
                if (attached != null && attached.status().status() != Status.CONNECTED) {
                    throw DeliveryException.retryable(NeuronConnection.NOT_ESTABLISHED, null);
                }
                return super.connection();
            }

            @Override
            protected CompletionStage<Void> deliver(NeuronConnection connection, List<Map<String, Object>> records)
                    throws Exception {
                if (writes.raw()) {
                    return connection.send(context().encoder().encode(records));
                }
                List<byte[]> bodies = new ArrayList<>(records.size());
                for (Map<String, Object> record : records) {
                    byte[] body = NeuronMessages.write(writes.nodeName(), writes.groupName(), writes.tags(), record);
                    if (body == null) {
                        throw DeliveryException.permanent("neuron sink: none of the tags " + writes.tags()
                                + " is in the result " + record.keySet(), null);
                    }
                    bodies.add(body);
                }
                return connection.send(bodies);
            }
        };
    }

    /** A sink's own props: {@code nodeName} and {@code groupName} (required unless {@code raw}), {@code tags}. */
    record Writes(String nodeName, String groupName, List<String> tags, boolean raw, List<PropError> problems) {
        static Writes of(Map<String, Object> props) {
            NodeProps node = new NodeProps(props).checkConnection(own -> Settings.of(own).problems());
            boolean raw = node.bool("raw", false);
            String nodeName = node.string("nodeName", "");
            String groupName = node.string("groupName", "");
            if (!raw && nodeName.isEmpty()) {
                node.problem("nodeName", "node name is required if raw is not set");
            }
            if (!raw && groupName.isEmpty()) {
                node.problem("groupName", "group name is required if raw is not set");
            }
            List<String> tags = new ArrayList<>();
            Object listed = props.get("tags");
            if (listed instanceof List<?> names) {
                for (Object name : names) {
                    if (name instanceof String tag && !tag.isEmpty()) {
                        tags.add(tag);
                    } else {
                        node.problem("tags", "tags must be a list of field names, not " + listed);
                        break;
                    }
                }
            } else if (listed != null) {
                node.problem("tags", "tags must be a list of field names, not " + listed);
            }
            return new Writes(nodeName, groupName, List.copyOf(tags), raw, node.problems());
        }
    }
}
