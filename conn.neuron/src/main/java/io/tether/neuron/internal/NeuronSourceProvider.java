package io.tether.neuron.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.kit.NodeProps;
import io.tether.neuron.internal.NeuronConnectorFactory.Settings;

/**
 * Neuron sources: each data message Neuron sends, its trace prefix stripped, as a record
 * {@code {timestamp, node_name, group_name, values, errors, metas}}, to every source on the connection (the
 * datasource is not used, as in eKuiper). The connection's reader hands each message on: it is the connector's own
 * thread and carries nothing else (sends go through a writer of their own), so it may wait for a rule, which holds
 * back Neuron through TCP. A message cannot be acknowledged, so a rule without room within {@link #MAX_WAIT} lets
 * it drop (counted). A message that is not a Neuron data message is counted as the source's error.
 */
@Component(service = {SourceProvider.class, NeuronSourceProvider.class},
        property = {ConnectorFactory.TYPE_PROPERTY + "=" + NeuronConnectorFactory.NODE_TYPE,
                ConnectorFactory.SCHEMA_PROPERTY + "=" + NeuronConnectorFactory.SCHEMA})
public final class NeuronSourceProvider implements SourceProvider {
    static final Duration MAX_WAIT = Duration.ofMillis(500);

    /** The sources listening, per connection id: the instance that replaces one serves them too. */
    final ConnectionScopes<Set<NeuronListener>> listeners = new ConnectionScopes<>(id -> ConcurrentHashMap.newKeySet());

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return NodeProps.connectionProblems(props, own -> Settings.of(own).problems());
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        return new NeuronSource(props);
    }

    private final class NeuronSource implements Source, NeuronListener {
        private final Map<String, Object> props;
        private SourceContext context;
        private ConnectionHandle handle;
        private ConnectionScopes.Lease<Set<NeuronListener>> listening;

        NeuronSource(Map<String, Object> props) {
            this.props = props;
        }

        @Override
        public void open(SourceContext sourceContext) {
            context = sourceContext;
            String key = NodeProps.usesNamedConnection(props) ? "" : Settings.of(props).anonymousKey();
            handle = context.pool().attach(context.ruleId(), key, NeuronConnectorFactory.TYPE, props,
                    context.connectionStatusListener());
            listening = listeners.acquire(handle.connectionId());
            listening.state().add(this);
        }

        @Override
        public void message(byte[] body) {
            NeuronMessages.Data data;
            try {
                data = NeuronMessages.decode(body);
            } catch (IOException e) {
                context.reportError(e);
                return;
            }
            try {
                context.offerRecord(data.record(), data.meta(handle.connectionId()), MAX_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void failed(Exception failure) {
            context.reportError(failure);
        }

        @Override
        public void close() {
            if (listening != null) {
                listening.state().remove(this);
                listening.close();
                handle.close();
            }
        }
    }
}
