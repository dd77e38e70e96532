package io.tether.shell.internal.commands;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/**
 * A connector type for the shell's tests: it connects unless its props say {@code fail: true}, wants a
 * {@code server} prop, declares {@code secret} secret and checks connectivity the same way.
 */
public final class FakeConnector implements ConnectorFactory {
    public static final String TYPE = "fake";

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return props.containsKey("server") ? List.of() : List.of(new PropError("server", "server is required"));
    }

    @Override
    public Connection create(Map<String, Object> props, ConnectionContext context) {
        boolean fail = Boolean.TRUE.equals(props.get("fail"));
        return new Connection() {
            @Override
            public void dial() throws ConnectionException {
                if (fail) {
                    throw new ConnectionException("refused by " + props.get("server"), true, null);
                }
            }

            @Override
            public void ping() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Set<String> secretProps() {
        return Set.of("secret");
    }

    @Override
    public boolean supportsCheck() {
        return true;
    }

    @Override
    public void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        if (Boolean.TRUE.equals(props.get("fail"))) {
            throw new ConnectionException("refused by " + props.get("server"), true, null);
        }
    }
}
