package io.tether.rule.internal.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;

/**
 * Connection type {@value #TYPE}, a whole connector (factory, source and sink provider) whose nodes attach to the
 * pool, anonymously: what a test {@link #publish}es reaches the open sources through their live connection
 * instances only, and a sink's send goes through its live instance into {@link #sent}. A connection parked by the
 * pool (its type gone) delivers nothing.
 */
final class LoopConnector implements ConnectorFactory, SourceProvider, SinkProvider {
    static final String TYPE = "loop";

    final List<String> sent = new CopyOnWriteArrayList<>();
    /** The live connection instances, by connection id. */
    private final Map<String, LoopConnection> live = new ConcurrentHashMap<>();
    /** The open sources' contexts, by the id of the connection they attached to. */
    private final Map<String, Set<SourceContext>> listening = new ConcurrentHashMap<>();

    /** A stateless connection that is there as soon as it is dialled. */
    final class LoopConnection implements Connection {
        private final String id;

        LoopConnection(String id) {
            this.id = id;
        }

        @Override
        public void dial() {
            live.put(id, this);
        }

        @Override
        public void ping() {
        }

        @Override
        public void close() {
            live.remove(id, this);
        }
    }

    /** @return how many sources it reached */
    int publish(String json) {
        int reached = 0;
        for (String id : live.keySet()) {
            for (SourceContext context : listening.getOrDefault(id, Set.of())) {
                context.emit(new RawMessage(json.getBytes(StandardCharsets.UTF_8), Map.of()));
                reached++;
            }
        }
        return reached;
    }

    @Override
    public Set<String> secretProps() {
        return Set.of();
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return List.of();
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        return new LoopConnection(context.connectionId());
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return List.of();
    }

    @Override
    public Source create(String datasource, Map<String, Object> props) {
        return new Source() {
            private ConnectionHandle handle;
            private SourceContext context;

            @Override
            public void open(SourceContext opened) {
                handle = opened.pool().attach(opened.ruleId(), "source-" + datasource, TYPE, props,
                        opened.connectionStatusListener());
                context = opened;
                listening.computeIfAbsent(handle.connectionId(), id -> ConcurrentHashMap.newKeySet()).add(opened);
            }

            @Override
            public void close() {
                listening.getOrDefault(handle.connectionId(), Set.of()).remove(context);
                handle.close();
            }
        };
    }

    @Override
    public Sink create(Map<String, Object> props) {
        return new Sink() {
            private ConnectionHandle handle;
            private SinkContext context;

            @Override
            public void open(SinkContext opened) {
                handle = opened.pool().attach(opened.ruleId(), "sink", TYPE, props, opened.connectionStatusListener());
                context = opened;
            }

            @Override
            public void collect(List<Map<String, Object>> records) {
                handle.as(LoopConnection.class);
                context.encoder().encode(records).forEach(p -> sent.add(new String(p, StandardCharsets.UTF_8)));
            }

            @Override
            public void close() {
                handle.close();
            }
        };
    }
}
