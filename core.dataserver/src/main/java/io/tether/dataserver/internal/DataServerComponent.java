package io.tether.dataserver.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.tether.api.dataserver.DataServer;
import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.dataserver.Registration;
import io.tether.api.dataserver.WebSocketHandler;

/**
 * The {@link DataServer} service, configured through PID {@code io.tether.dataserver}. Activation binds nothing: the
 * listener starts with the first registration. A configuration change restarts a running listener in place, keeping
 * the registrations.
 */
@Component(service = DataServer.class, configurationPid = DataServerConfig.PID)
@Designate(ocd = DataServerConfig.class)
public class DataServerComponent implements DataServer {
    private final JettyDataServer server;

    @Activate
    public DataServerComponent(BundleContext context, Map<String, Object> configuration) {
        this.server = new JettyDataServer(Settings.of(configuration, context::getProperty));
    }

    @Modified
    void modified(BundleContext context, Map<String, Object> configuration) throws IOException {
        server.reconfigure(Settings.of(configuration, context::getProperty));
    }

    @Deactivate
    void deactivate() {
        server.shutdown();
    }

    @Override
    public Registration httpEndpoint(String path, String method, HttpEndpointHandler handler) throws IOException {
        return server.httpEndpoint(path, method, handler);
    }

    @Override
    public Registration webSocketEndpoint(String path, WebSocketHandler handler) throws IOException {
        return server.webSocketEndpoint(path, handler);
    }

    @Override
    public URI baseUri() {
        return server.baseUri();
    }
}
