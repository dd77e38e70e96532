package io.tether.api.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.Encoder;
import io.tether.api.io.SinkContext;

/** A sink's context over a pool of one connection whose status and instance the test sets. */
final class TestSinkContext implements SinkContext {
    private final String ruleId;
    private final String operatorId;
    final List<String> attachedKeys = new ArrayList<>();
    final List<Map<String, Object>> attachedProps = new ArrayList<>();
    volatile Status status = Status.CONNECTED;
    volatile Object instance;
    volatile boolean detached;
    volatile Duration sendTimeout = Duration.ofSeconds(5);

    TestSinkContext(String ruleId, String operatorId) {
        this.ruleId = ruleId;
        this.operatorId = operatorId;
    }

    @Override
    public String ruleId() {
        return ruleId;
    }

    @Override
    public String operatorId() {
        return operatorId;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return (id, status) -> {
        };
    }

    @Override
    public void reportError(Throwable error) {
    }

    @Override
    public Encoder encoder() {
        return records -> List.of();
    }

    @Override
    public Duration sendTimeout() {
        return sendTimeout;
    }

    @Override
    public ConnectionPool pool() {
        return new ConnectionPool() {
            @Override
            public ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props,
                    StatusListener listener) {
                attachedKeys.add(key);
                attachedProps.add(props);
                return new Handle(typ, refId);
            }

            @Override
            public void detach(ConnectionHandle handle) {
                handle.close();
            }

            @Override
            public ConnectionInfo create(String id, String typ, Map<String, Object> props) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ConnectionInfo update(String id, String typ, Map<String, Object> props) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void delete(String id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<ConnectionInfo> get(String id) {
                return Optional.empty();
            }

            @Override
            public List<ConnectionInfo> list(boolean includeAnonymous) {
                return List.of();
            }

            @Override
            public void check(String typ, Map<String, Object> props, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Set<String> installedTypes() {
                return Set.of();
            }

            @Override
            public List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props) {
                return List.of();
            }

            @Override
            public Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames) {
                return props;
            }

            @Override
            public String maskSecrets(String text) {
                return text;
            }
        };
    }

    private final class Handle implements ConnectionHandle {
        private final String typ;
        private final String refId;

        Handle(String typ, String refId) {
            this.typ = typ;
            this.refId = refId;
        }

        @Override
        public String connectionId() {
            return "c1";
        }

        @Override
        public String refId() {
            return refId;
        }

        @Override
        public String type() {
            return typ;
        }

        @Override
        public ConnectionStatus status() {
            return new ConnectionStatus(status, status == Status.CONNECTED ? null : "refused", 0, 0, 0, List.of());
        }

        @Override
        public <T> T as(Class<T> type) {
            if (detached || !type.isInstance(instance)) {
                throw new io.tether.api.connection.ConnectionPoolException(
                        io.tether.api.connection.ConnectionPoolException.Reason.UNAVAILABLE, "no live instance");
            }
            return type.cast(instance);
        }

        @Override
        public void reportFailure(String reason) {
        }

        @Override
        public void close() {
            detached = true;
        }
    }
}
