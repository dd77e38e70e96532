package io.tether.rule.internal.runtime;

import static io.tether.rule.internal.runtime.RuleEngineTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.SourceContext;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.model.RuleOptions;

/** The two-phase hand-off (SourceContext.reserve): room held in the rule's buffer, decoded, then committed or given back. */
class ReservationTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Action FAKE_SINK = new Action("fake", Map.of("sendSingle", true));

    @TempDir
    Path dataDirectory;
    private final FakeConnector fake = new FakeConnector();
    private RuleEngine engine;

    @BeforeEach
    void start() {
        engine = new RuleEngine(new MaskingPool(), dataDirectory, dataDirectory, new PrometheusRegistry());
        engine.addSourceProvider(fake, Map.of(ConnectorFactory.TYPE_PROPERTY, "fake"));
        engine.addSinkProvider(fake, Map.of(ConnectorFactory.TYPE_PROPERTY, "fake"));
        engine.activate();
        engine.createStream("CREATE STREAM demo () WITH (TYPE=\"fake\", DATASOURCE=\"t\")");
        engine.createStream("CREATE STREAM shared () WITH (TYPE=\"fake\", DATASOURCE=\"t\", SHARED=\"true\")");
    }

    @AfterEach
    void stop() {
        CountDownLatch gate = fake.sinkGate;
        if (gate != null) {
            gate.countDown();
        }
        engine.deactivate();
    }

    private static RawMessage message(String json) {
        return new RawMessage(json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void createRule(String id, String stream, int bufferLength) {
        engine.createRule(new RuleDefinition(id, "SELECT * FROM " + stream, List.of(FAKE_SINK), true,
                new RuleOptions(bufferLength, RuleOptions.Overflow.BLOCK)));
    }

    /** A rule with a buffer of one whose sink holds the first record: the buffer is empty, the rule busy. */
    private SourceContext busyRule() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("r1", "demo", 1);
        SourceContext source = fake.openSources.get(0);
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":0}"), LONG));
        await(() -> fake.collecting.get() == 1);
        return source;
    }

    @Test
    void heldRoomIsTakenFromOtherOffersUntilCommitted() throws Exception {
        SourceContext source = busyRule();
        Reservation reservation = source.reserve(LONG);
        assertEquals(Acceptance.ACCEPTED, reservation.acceptance());
        assertEquals(Acceptance.DROPPED, source.offer(message("{\"n\":9}"), Duration.ofMillis(50)));

        reservation.prepare(message("{\"n\":1}"));
        reservation.commit();
        reservation.release();
        fake.sinkGate.countDown();
        await(() -> fake.sent.size() == 2);
        assertEquals(List.of("{\"n\":0}", "{\"n\":1}"), fake.sent);
        assertEquals(1L, engine.status("r1").get("source_demo_0_exceptions_total"), "the dropped offer only");
    }

    @Test
    void releasedRoomGoesBackAndNothingIsHandedOn() throws Exception {
        SourceContext source = busyRule();
        Reservation reservation = source.reserve(LONG);
        reservation.prepare(message("{\"n\":1}"));
        reservation.release();
        assertThrows(IllegalStateException.class, reservation::commit);
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":2}"), Duration.ofMillis(50)));
        fake.sinkGate.countDown();
        await(() -> fake.sent.size() == 2);
        assertEquals(List.of("{\"n\":0}", "{\"n\":2}"), fake.sent);
    }

    @Test
    void aFullBufferGivesNoRoomWithinTheWait() throws Exception {
        SourceContext source = busyRule();
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":1}"), LONG));
        Reservation none = source.reserve(Duration.ofMillis(50));
        assertEquals(Acceptance.DROPPED, none.acceptance());
        assertThrows(IllegalStateException.class, () -> none.prepare(message("{}")));
        none.release();
        assertEquals("rule r1 is overloaded: its buffer of 1 records stayed full for 50 ms, record dropped "
                + "(options.bufferLength)", engine.status("r1").get("source_demo_0_last_exception"));
    }

    @Test
    void anUndecodablePayloadIsToldWhenPreparedAndTheRoomStaysHeld() throws Exception {
        SourceContext source = busyRule();
        Reservation reservation = source.reserve(LONG);
        IllegalArgumentException undecodable = assertThrows(IllegalArgumentException.class,
                () -> reservation.prepare(message("not json")));
        assertEquals("invalid JSON payload: Unrecognized token 'not': was expecting (JSON String, Number, Array, "
                + "Object or token 'null', 'true' or 'false')", undecodable.getMessage());
        assertEquals(0L, engine.status("r1").get("source_demo_0_exceptions_total"));
        assertEquals(Acceptance.DROPPED, source.offer(message("{\"n\":9}"), Duration.ofMillis(20)),
                "the room is still held");
        reservation.release();
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":2}"), Duration.ofMillis(50)));
    }

    @Test
    void aSharedStreamHoldsRoomInEveryRuleOrInNone() throws Exception {
        fake.sinkGate = new CountDownLatch(1);
        createRule("a", "shared", 1);
        createRule("b", "shared", 2);
        SourceContext source = fake.openSources.get(0);
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":0}"), LONG));
        await(() -> fake.collecting.get() == 2);
        Reservation both = source.reserve(LONG);
        assertEquals(Acceptance.ACCEPTED, both.acceptance());
        Reservation none = source.reserve(Duration.ofMillis(50));
        assertEquals(Acceptance.DROPPED, none.acceptance(), "rule a has no room left");
        both.prepare(message("{\"n\":1}"));
        both.commit();

        fake.sinkGate.countDown();
        await(() -> fake.sent.size() == 4);
        assertEquals(2L, fake.sent.stream().filter("{\"n\":1}"::equals).count(), "once per rule: " + fake.sent);
        assertEquals(Acceptance.ACCEPTED, source.offer(message("{\"n\":2}"), LONG),
                "rule b's room taken by the failed reservation was given back");
    }
}
