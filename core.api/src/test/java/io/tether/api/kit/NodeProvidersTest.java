package io.tether.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.Source;

class NodeProvidersTest {
    private static final PropError NO_HOST = new PropError("host", "host is required");
    private static final PropError BAD_TOPIC = new PropError("topic", "no topic");
    private static final PropError BAD_DATASOURCE = new PropError("datasource", "no datasource");

    private final NodeProviders nodes = new NodeProviders(props -> props.containsKey("host") ? List.of()
            : List.of(NO_HOST)) {
        @Override
        protected List<PropError> sourceProblems(String datasource, Map<String, Object> props) {
            return datasource.isEmpty() ? List.of(BAD_DATASOURCE) : List.of();
        }

        @Override
        protected List<PropError> sinkProblems(Map<String, Object> props) {
            return props.containsKey("topic") ? List.of() : List.of(BAD_TOPIC);
        }

        @Override
        public Source create(String datasource, Map<String, Object> props) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Sink create(Map<String, Object> props) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void withoutSelectorTheConnectionPropsAreCheckedAfterTheNodesOwn() {
        assertEquals(List.of(BAD_DATASOURCE, NO_HOST), nodes.validate("", Map.of()));
        assertEquals(List.of(BAD_TOPIC, NO_HOST), nodes.validate(Map.of()));
        assertEquals(List.of(), nodes.validate(Map.of("host", "h", "topic", "t")));
    }

    @Test
    void withASelectorOnlyTheNodesOwnPropsAreChecked() {
        Map<String, Object> named = Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1");
        assertEquals(List.of(), nodes.validate("lines", named));
        assertEquals(List.of(BAD_TOPIC), nodes.validate(named));
    }

    @Test
    void bothProvidersDeclareNoSecretsBeyondTheSchema() {
        assertEquals(Set.of(), nodes.secretProps());
    }
}
