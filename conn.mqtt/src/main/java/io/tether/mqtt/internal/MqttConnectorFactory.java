package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.kit.ConnectionScopes;
import io.tether.lib.mqtt.BrokerClient;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.MqttClientSettings;

/** Connection type {@code mqtt} (SPEC §9): stateful connections on Eclipse Paho, MQTT 3.1, 3.1.1 and 5. */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + MqttConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=OSGI-INF/tether/schema/mqtt.json"})
public final class MqttConnectorFactory implements ConnectorFactory {
    public static final String TYPE = "mqtt";

    private final MqttRuntime runtime;

    @Activate
    public MqttConnectorFactory(@Reference MqttRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return MqttProps.validate(props);
    }

    /** Also refuses a client id that another live connection uses (their broker would disconnect each in turn). */
    @Override
    public List<PropError> validate(String connectionId, Map<String, Object> props) {
        List<PropError> problems = MqttProps.validate(props);
        if (problems.isEmpty() && props.get(MqttProps.CLIENT_ID) instanceof String clientId && !clientId.isBlank()) {
            runtime.clientIds().holderOtherThan(clientId, connectionId).ifPresent(holder -> problems.add(
                    new PropError(MqttProps.CLIENT_ID, "clientid '" + clientId + "' is already used by connection "
                            + holder + ": two clients with one id would disconnect each other")));
        }
        return problems;
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) throws ConnectionException {
        MqttClientSettings settings = MqttProps.of(props);
        ConnectionScopes.Lease<ConnectionScope> scope = runtime.scopes().acquire(context.connectionId());
        String clientId = settings.clientId() != null ? settings.clientId() : scope.state().generatedClientId();
        MqttConnection connection = new MqttConnection(context, settings, clientId, runtime, scope);
        try {
            runtime.clientIds().claim(clientId, context.connectionId(), connection);
        } catch (ConnectionException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    public Set<String> secretProps() {
        return Set.of(MqttProps.PASSWORD);
    }

    @Override
    public boolean supportsCheck() {
        return true;
    }

    /**
     * Connects a temporary client under a client id of its own (the props' one may be live: reusing it would
     * disconnect that connection), then closes it.
     */
    @Override
    public void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        MqttClientSettings settings = MqttProps.of(props);
        String clientId = new ConnectionScope().generatedClientId();
        BrokerClient client = null;
        try {
            client = BrokerClient.create(settings, clientId, runtime.threads().scheduler(), NO_EVENTS, timeout);
            client.connect(timeout);
        } catch (ConnectionException e) {
            throw ConnectionException.io("found error when connecting for "
                    + MqttClientSettings.masked(settings.server()) + ": " + e.getMessage(), e);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static final BrokerListener NO_EVENTS = new BrokerListener() {
        @Override
        public void messageArrived(String topic, byte[] payload, Map<String, Object> meta, Runnable acknowledge) {
        }

        @Override
        public void connectionLost(String reason) {
        }
    };
}
