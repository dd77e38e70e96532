package io.tether.http.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.osgi.service.component.annotations.Component;

/**
 * Felix HTTP hands its Jetty server to every {@link ConnectorFactory} service once the server has started: the one
 * hook it offers onto the server itself. This one installs {@link JsonErrorHandler} on the server and its contexts.
 * Felix wants a {@link ServerConnector} back; the one returned never opens a port and leaves the server as soon as
 * Felix starts it.
 */
@Component(service = ConnectorFactory.class)
public class JettyErrorFormat implements ConnectorFactory {

    @Override
    public Connector createConnector(Server server) {
        JsonErrorHandler errors = new JsonErrorHandler();
        server.setErrorHandler(errors);
        server.getDescendants(ContextHandler.class).forEach(context -> context.setErrorHandler(errors));
        return new Detached(server);
    }

    private static final class Detached extends ServerConnector {
        Detached(Server server) {
            super(server, 0, 1);
        }

        @Override
        protected void doStart() {
            getServer().removeConnector(this);
        }

        @Override
        protected void doStop() {
        }
    }
}
