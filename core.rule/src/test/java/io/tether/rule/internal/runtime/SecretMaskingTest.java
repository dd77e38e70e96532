package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.rule.internal.MaskingPool;
import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.rest.ConfKeysResource;
import io.tether.rule.internal.rest.RuleExceptionMapper;
import io.tether.rule.internal.rest.RulesResource;
import io.tether.rule.internal.rest.StreamsResource;

/**
 * SPEC §5, "secrets stay inside": no secret given to the rule layer (rule actions, conf keys, stream statements,
 * providers' declared secret props, errors of sources and sinks) shows in a REST answer or a log line; a masked
 * value sent back keeps the stored one; the files written are the owner's only. Every secret here contains
 * "hunter", so one search finds any leak.
 */
class SecretMaskingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Object> VAULT = Map.of(ConnectorFactory.TYPE_PROPERTY, "vault");
    private static final String ACTION = "{\"vault\": {\"password\": \"hunter5\", "
            + "\"url\": \"postgres://u:hunter6@h/db\", \"dsn\": \"jdbc:mysql://h/db?user=u&password=hunter7\", "
            + "\"signature\": \"hunter8\", \"table\": \"t\"}}";
    private static final String RULE = "{\"id\": \"r1\", \"sql\": \"SELECT * FROM s\", \"actions\": [" + ACTION + "]}";

    @TempDir
    Path home;
    private final MaskingPool pool = new MaskingPool();
    private final Vault vault = new Vault();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<String> answers = new ArrayList<>();
    private PrintStream stderr;
    private RuleEngine engine;
    private RulesResource rules;
    private StreamsResource streams;
    private ConfKeysResource confKeys;

    /** A type whose providers declare {@code signature} secret and echo props in their failures. */
    private static final class Vault implements SourceProvider, SinkProvider {
        volatile Map<String, Object> sourceProps;
        volatile Map<String, Object> sinkProps;
        volatile SourceContext source;

        @Override
        public Set<String> secretProps() {
            return Set.of("signature");
        }

        @Override
        public List<PropError> validate(String datasource, Map<String, Object> props) {
            return List.of();
        }

        @Override
        public Source create(String datasource, Map<String, Object> props) {
            sourceProps = props;
            return new Source() {
                @Override
                public void open(SourceContext context) {
                    if (props.containsKey("failOpen")) {
                        throw new IllegalStateException("dial " + props.get("server") + " refused");
                    }
                    source = context;
                }

                @Override
                public void close() {
                    source = null;
                }
            };
        }

        @Override
        public List<PropError> validate(Map<String, Object> props) {
            return props.containsKey("reject") ? List.of(new PropError("url", "cannot reach " + props.get("url")))
                    : List.of();
        }

        @Override
        public Sink create(Map<String, Object> props) {
            sinkProps = props;
            return new Sink() {
                @Override
                public void open(SinkContext context) {
                }

                @Override
                public void collect(List<Map<String, Object>> records) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @BeforeEach
    void start() {
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
        engine = newEngine(true);
    }

    @AfterEach
    void stop() {
        engine.deactivate();
        System.setErr(stderr);
    }

    private RuleEngine newEngine(boolean withVault) {
        RuleEngine created = new RuleEngine(pool, home.resolve("data"), home, new PrometheusRegistry());
        if (withVault) {
            created.addSourceProvider(vault, VAULT);
            created.addSinkProvider(vault, VAULT);
        }
        created.activate();
        rules = new RulesResource(created);
        streams = new StreamsResource(created);
        confKeys = new ConfKeysResource(created);
        return created;
    }

    /** Calls a resource as the JAX-RS runtime would, and keeps its answer. */
    private Response call(Callable<Response> method) throws Exception {
        Response response;
        try {
            response = method.call();
        } catch (RuleException e) {
            response = new RuleExceptionMapper(pool).toResponse(e);
        }
        answers.add(String.valueOf(response.getEntity()));
        return response;
    }

    private JsonNode json(Callable<Response> method) throws Exception {
        return MAPPER.readTree((String) call(method).getEntity());
    }

    private void assertNoSecretShown() {
        answers.forEach(answer -> assertFalse(answer.contains("hunter"), answer));
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("hunter"), logged);
    }

    private void createConfKeyStreamAndRule() throws Exception {
        assertEquals(200, call(() -> confKeys.put("vault", "k1", "{\"password\": \"hunter1\", "
                + "\"server\": \"tcp://u:hunter2@h:1883\", \"signature\": \"hunter3\", \"qos\": 1}")).getStatus());
        assertEquals(201, call(() -> streams.create("{\"sql\": \"CREATE STREAM s () WITH (TYPE=\\\"vault\\\", "
                + "DATASOURCE=\\\"jdbc:postgresql://h/db?user=u&password=hunter4\\\", CONF_KEY=\\\"k1\\\")\"}"))
                .getStatus());
        assertEquals(201, call(() -> rules.create(RULE)).getStatus());
    }

    @Test
    void ruleActionsConfKeysStreamsAndStatusShowNoSecret() throws Exception {
        createConfKeyStreamAndRule();
        JsonNode action = json(() -> rules.get("r1")).get("actions").get(0).get("vault");
        assertEquals(MaskingPool.MASK, action.get("password").asText());
        assertEquals("postgres://u:******@h/db", action.get("url").asText());
        assertEquals("jdbc:mysql://h/db?user=u&password=******", action.get("dsn").asText());
        assertEquals(MaskingPool.MASK, action.get("signature").asText());
        assertEquals("t", action.get("table").asText());

        JsonNode k1 = json(() -> confKeys.list("vault")).get("k1");
        assertEquals(MaskingPool.MASK, k1.get("password").asText());
        assertEquals("tcp://u:******@h:1883", k1.get("server").asText());
        assertEquals(MaskingPool.MASK, k1.get("signature").asText());
        assertEquals(1, k1.get("qos").asInt());

        JsonNode stream = json(() -> streams.get("s"));
        assertEquals("jdbc:postgresql://h/db?user=u&password=******", stream.get("Options").get("datasource").asText());

        vault.source.reportError(new IllegalStateException("lost tcp://u:hunter2@h:1883"));
        JsonNode status = json(() -> rules.status("r1"));
        assertEquals("lost tcp://u:******@h:1883", status.get("source_s_0_last_exception").asText());
        call(rules::list);
        assertEquals("hunter1", vault.sourceProps.get("password"));
        assertEquals("hunter8", vault.sinkProps.get("signature"));
        assertNoSecretShown();
    }

    @Test
    void errorsAndLogLinesShowNoSecret() throws Exception {
        createConfKeyStreamAndRule();
        JsonNode refused = json(() -> rules.create("{\"id\": \"r2\", \"sql\": \"SELECT * FROM s\", \"actions\": "
                + "[{\"vault\": {\"reject\": true, \"url\": \"postgres://u:hunter6@h/db\"}}]}"));
        assertEquals("invalid props of action vault: url: cannot reach postgres://u:******@h/db",
                refused.get("message").asText());

        assertEquals(200, call(() -> confKeys.put("vault", "k1", "{\"server\": \"tcp://u:hunter2@h:1883\", "
                + "\"failOpen\": true}")).getStatus());
        JsonNode restart = json(() -> rules.restart("r1"));
        assertEquals("rule r1 failed to start: dial tcp://u:******@h:1883 refused", restart.get("message").asText());
        assertEquals("stopped: dial tcp://u:******@h:1883 refused", json(() -> rules.status("r1")).get("status")
                .asText());
        assertEquals("stopped: dial tcp://u:******@h:1883 refused", json(rules::list).get(0).get("status").asText());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("dial tcp://u:******@h:1883 refused"));
        assertNoSecretShown();
    }

    @Test
    void whatAGetShowedSentBackKeepsTheStoredSecrets() throws Exception {
        createConfKeyStreamAndRule();
        JsonNode shown = json(() -> rules.get("r1"));
        String sentBack = MAPPER.writeValueAsString(Map.of("sql", "SELECT * FROM s",
                "actions", MAPPER.convertValue(shown.get("actions"), List.class)));
        vault.sinkProps = null;
        assertEquals(200, call(() -> rules.update("r1", sentBack)).getStatus());
        assertEquals("hunter8", vault.sinkProps.get("signature"));
        assertEquals("hunter5", vault.sinkProps.get("password"));
        assertEquals("postgres://u:hunter6@h/db", vault.sinkProps.get("url"));
        assertEquals("jdbc:mysql://h/db?user=u&password=hunter7", vault.sinkProps.get("dsn"));

        String section = MAPPER.writeValueAsString(json(() -> confKeys.list("vault")).get("k1"));
        assertEquals(200, call(() -> confKeys.put("vault", "k1", section)).getStatus());
        vault.sourceProps = null;
        call(() -> rules.restart("r1"));
        assertEquals("hunter1", vault.sourceProps.get("password"));
        assertEquals("tcp://u:hunter2@h:1883", vault.sourceProps.get("server"));
        assertEquals("hunter3", vault.sourceProps.get("signature"));

        assertEquals(200, call(() -> rules.update("r1", "{\"sql\": \"SELECT * FROM s\", \"actions\": "
                + "[{\"vault\": {\"password\": \"new\"}}]}")).getStatus());
        assertEquals("new", vault.sinkProps.get("password"));
        assertNoSecretShown();
    }

    @Test
    void declaredSecretsAreMaskedAfterARestartWithoutTheirType() throws Exception {
        createConfKeyStreamAndRule();
        engine.deactivate();
        engine = newEngine(false);
        JsonNode action = json(() -> rules.get("r1")).get("actions").get(0).get("vault");
        assertEquals(MaskingPool.MASK, action.get("signature").asText());
        assertNoSecretShown();
    }

    @Test
    void everyFileWrittenIsTheOwnersOnly() throws Exception {
        createConfKeyStreamAndRule();
        vault.source.saveState(Map.of("index", 3));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(home)) {
            files = walk.filter(path -> !path.equals(home)).toList();
        }
        assertTrue(files.stream().anyMatch(path -> path.endsWith("etc/sources/vault.yaml")), files.toString());
        assertTrue(files.stream().anyMatch(path -> path.endsWith("data/rules.json")), files.toString());
        assertTrue(files.stream().anyMatch(path -> path.endsWith("data/" + Secrets.FILE_NAME)), files.toString());
        for (Path path : files) {
            assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------", permissions(path), path.toString());
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Writes to the console and keeps a copy, so that the test reads what was logged. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream console;
        private final ByteArrayOutputStream copy;

        TeeStream(java.io.OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            console.write(bytes, offset, length);
            copy.write(bytes, offset, length);
        }
    }
}
