package io.tether.conn.http.internal.push;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.ConnectionScopes;
import io.tether.api.kit.NodeProps;

/**
 * Sources of the requests pushed to an endpoint: the datasource is the endpoint path (with connectionSelector, the
 * named connection's {@code endpoint} is used instead). Sources without connectionSelector share one anonymous
 * connection per endpoint and method, registered by the first and unregistered when the last one closes. Each
 * request goes to every source attached to the connection ({@link PushEndpoint}).
 */
@Component(property = {ConnectorFactory.TYPE_PROPERTY + "=" + HttpPushConnectorFactory.TYPE,
        ConnectorFactory.SCHEMA_PROPERTY + "=" + HttpPushConnectorFactory.SCHEMA})
public final class HttpPushSourceProvider implements SourceProvider {
    private final ConnectionScopes<Set<SourceContext>> attached;

    @Activate
    public HttpPushSourceProvider(@Reference PushSources sources) {
        this.attached = sources.attached;
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        // with connectionSelector, the endpoint, method and timeout are the named connection's: nothing to check
        return NodeProps.connectionProblems(PushSettings.anonymous(datasource, props),
                connection -> PushSettings.of(connection).problems());
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        boolean named = NodeProps.usesNamedConnection(props);
        Map<String, Object> attachProps = named ? props : PushSettings.anonymous(datasource, props);
        return new Source() {
            private ConnectionHandle handle;
            private ConnectionScopes.Lease<Set<SourceContext>> lease;
            private SourceContext context;

            @Override
            public void open(SourceContext opened) {
                String key = named ? "" : PushSettings.of(attachProps).anonymousKey();
                handle = opened.pool().attach(opened.ruleId(), key, HttpPushConnectorFactory.TYPE, attachProps,
                        opened.connectionStatusListener());
                lease = attached.acquire(handle.connectionId());
                context = opened;
                lease.state().add(opened);
            }

            @Override
            public void close() {
                if (lease != null) {
                    lease.state().remove(context);
                    lease.close();
                    handle.close();
                    lease = null;
                }
            }
        };
    }
}
