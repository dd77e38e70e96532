package io.tether.api.kit;

import java.util.Map;
import java.util.Objects;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;

/**
 * A source that reads through a pooled connection of its type, the counterpart of {@link ConnectedSink}. It attaches
 * in {@link #open} (to the named connection of {@code connectionSelector}, else to the anonymous one under
 * {@link #anonymousKey}), then lets the subclass {@linkplain #consume start consuming}; {@link #close} undoes both,
 * in reverse order, and never throws.
 */
public abstract class ConnectedSource implements Source {
    private final String type;
    private final Map<String, Object> connectionProps;
    private volatile ConnectionHandle handle;
    private volatile AutoCloseable consuming;

    /**
     * @param type            the connection type
     * @param connectionProps the props to attach with: {@code connectionSelector}, or the anonymous connection's
     */
    protected ConnectedSource(String type, Map<String, Object> connectionProps) {
        this.type = Objects.requireNonNull(type, "type");
        this.connectionProps = Map.copyOf(connectionProps);
    }

    /** The key of the anonymous connection, when the props name none: see {@link AnonymousKeys}. */
    protected abstract String anonymousKey(SourceContext context);

    /**
     * Starts taking what the connection brings, typically {@link ConnectionListeners#listen} under
     * {@code handle.connectionId()} with a listener that {@linkplain SourceContext#offer offers} to the context.
     *
     * @return what {@link #close} closes to stop it
     */
    protected abstract AutoCloseable consume(ConnectionHandle handle, SourceContext context) throws Exception;

    @Override
    public void open(SourceContext context) throws Exception {
        String key = NodeProps.usesNamedConnection(connectionProps) ? "" : anonymousKey(context);
        ConnectionHandle attached = context.pool().attach(context.ruleId(), key, type, connectionProps,
                context.connectionStatusListener());
        handle = attached;
        try {
            consuming = consume(attached, context);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The handle while the source is open. */
    protected ConnectionHandle handle() {
        return handle;
    }

    @Override
    public void close() {
        AutoCloseable stopping = consuming;
        ConnectionHandle attached = handle;
        consuming = null;
        handle = null;
        if (stopping != null) {
            try {
                stopping.close();
            } catch (Exception e) {
                System.getLogger(ConnectedSource.class.getName()).log(System.Logger.Level.WARNING,
                        type + " source: stopping failed", e);
            }
        }
        if (attached != null) {
            attached.close();
        }
    }
}
