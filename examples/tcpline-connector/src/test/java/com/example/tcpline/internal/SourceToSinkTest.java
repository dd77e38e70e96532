package com.example.tcpline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.PropError;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSinkContext;
import io.tether.testkit.RecordingSourceContext;
import io.tether.testkit.TestPool;

/** A sink's emissions reach a source through the server, on a named connection and on an anonymous one. */
class SourceToSinkTest {
    private final TcpLineNodes nodes = new TcpLineNodes();
    private LineServer server;
    private TestPool pool;

    @BeforeEach
    void start() throws Exception {
        server = new LineServer();
        pool = TestPool.create();
        pool.addType(TcpLineConnectorFactory.TYPE, new TcpLineConnectorFactory(nodes),
                getClass().getResource("/" + TcpLineConnectorFactory.SCHEMA));
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        server.close();
    }

    @Test
    void anEmissionSentOnANamedConnectionComesBackToItsSource() throws Exception {
        pool.create("line", TcpLineConnectorFactory.TYPE, Map.of("host", "127.0.0.1", "port", server.port()));
        Map<String, Object> selector = Map.of(ConnectionPool.CONNECTION_SELECTOR, "line");
        try (RecordingSourceContext source = new RecordingSourceContext(pool, "r1", "source_lines");
                RecordingSinkContext sink = new RecordingSinkContext(pool, "r2", "sink_tcpline_0", true)) {
            source.open(nodes.create("{", selector));
            sink.open(nodes.create(selector));
            Poll.until("the sink's connection is up", () -> sink.sink().send(List.of(Map.of("t", 21)))
                    .toCompletableFuture().handle((ok, failed) -> failed == null).join());

            assertEquals("{\"t\":21}", source.next(Poll.PATIENCE));
        }
    }

    @Test
    void sourcesAndSinksWithoutSelectorShareOneAnonymousConnectionPerServer() throws Exception {
        Map<String, Object> props = Map.of("host", "127.0.0.1", "port", server.port(), "password", "pw");
        try (RecordingSourceContext source = new RecordingSourceContext(pool, "r1", "source_lines");
                RecordingSinkContext sink = new RecordingSinkContext(pool, "r2", "sink_tcpline_0", false)) {
            source.open(nodes.create("", props));
            sink.open(nodes.create(props));
            Poll.until("the sink's connection is up", () -> sink.sink().send(List.of(Map.of("t", 22)))
                    .toCompletableFuture().handle((ok, failed) -> failed == null).join());

            assertEquals("[{\"t\":22}]", source.next(Poll.PATIENCE));
            assertEquals(1, pool.list(true).size(), "one connection: " + pool.list(true));
            assertFalse(pool.list(true).get(0).id().contains("pw"), pool.list(true).get(0).id());
        }
    }

    @Test
    void propsAreCheckedWithoutTheNetwork() {
        List<PropError> problems = nodes.validate(Map.of("host", "h", "port", 70000));
        assertEquals(List.of("port"), problems.stream().map(PropError::prop).toList());
        assertEquals(List.of(), nodes.validate(Map.of(ConnectionPool.CONNECTION_SELECTOR, "x")));
    }
}
