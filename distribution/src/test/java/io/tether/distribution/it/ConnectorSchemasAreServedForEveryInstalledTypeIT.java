package io.tether.distribution.it;

import static io.tether.distribution.it.Rest.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceContext;
import io.tether.api.io.SourceProvider;
import io.tether.distribution.it.Rest.Response;

/**
 * Issue 12: every installed connection type is listed with its bundle and serves its props schema; props that break
 * a schema are refused naming the prop; a prop that only a provider's schema marks secret never shows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorSchemasAreServedForEveryInstalledTypeIT {
    private static final String SECRET = "S3cr3tStampValue";

    @Inject
    BundleContext context;

    final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        List<String> bundles = new ArrayList<>(List.of(TetherRuntime.RULES, TetherRuntime.MQTT));
        bundles.addAll(TetherRuntime.SQL);
        return TetherRuntime.options(ConnectorSchemasAreServedForEveryInstalledTypeIT.class,
                bundles.toArray(String[]::new));
    }

    @After
    public void tearDown() {
        Rest rest = new Rest(context);
        rest.delete("/rules/stamping");
        registrations.forEach(ServiceRegistration::unregister);
    }

    @Test
    public void everyInstalledTypeIsListedWithItsBundleAndServesItsSchema() {
        Rest rest = ready();
        Poll.until("mqtt and sql are listed", () -> typs(rest.get("/metadata/connections").json())
                .containsAll(List.of("mqtt", "sql")), () -> rest.get("/metadata/connections"));
        JsonNode types = rest.get("/metadata/connections").json();
        assertEquals("sorted by type", typs(types).stream().sorted().toList(), typs(types));
        for (JsonNode type : types) {
            String typ = type.path("typ").asText();
            assertEquals(type.toString(), "tether.conn." + typ, type.path("bundle").asText());
            assertFalse(type.toString(), type.path("version").asText().isEmpty());
            Response schema = rest.get("/metadata/connections/" + typ);
            assertEquals(schema.toString(), 200, schema.status());
            assertTrue(schema.toString(), schema.isJson());
            for (String part : List.of("connection", "source", "sink")) {
                assertTrue(typ + " declares " + part, schema.json().path("properties").path(part).isObject());
            }
            assertTrue(typ + "'s password is secret", schema.json().path("properties").path("connection")
                    .path("properties").path("password").path("writeOnly").asBoolean());
        }
        Response unknown = rest.get("/metadata/connections/nosuch");
        assertEquals(unknown.toString(), 404, unknown.status());
        assertEquals("connector type 'nosuch' is not installed", unknown.json().path("message").asText());
    }

    @Test
    public void propsThatBreakASchemaAreRefusedNamingThePropAndNothingIsStored() {
        Rest rest = ready();
        Poll.until("mqtt is installed", () -> rest.get("/metadata/connections/mqtt").status() == 200);
        assertRefused(rest.post("/connections", json("id", "m1", "typ", "mqtt", "props",
                Map.of("server", "tcp://127.0.0.1:1883", "protocolVersion", "7"))), "protocolVersion: ");
        assertRefused(rest.post("/connections", json("id", "m1", "typ", "mqtt", "props",
                Map.of("server", "tcp://127.0.0.1:1883", "keepAlive", "x"))), "keepAlive: ");
        assertRefused(rest.post("/connections", json("id", "m1", "typ", "mqtt", "props",
                Map.of("keepAlive", 30))), "server: ");
        assertEquals(404, rest.get("/connections/m1").status());
        assertRefused(rest.put("/metadata/sources/mqtt/confKeys/k1", json("qos", "high")), "qos: ");
        assertRefused(rest.put("/metadata/sources/sql/confKeys/k1",
                json("internalSqlQueryCfg", Map.of("limit", "many"))), "internalSqlQueryCfg.limit: ");
        assertFalse(rest.get("/metadata/sources/mqtt/confKeys").body().contains("k1"));
    }

    @Test
    public void aPropThatOnlyAProvidersSchemaMarksSecretNeverShows() {
        Rest rest = ready();
        register();
        Poll.until("the stamped source is installed",
                () -> rest.get("/metadata/sources/stamped/confKeys").status() == 200);

        assertEquals(200, rest.put("/metadata/sources/stamped/confKeys/k1", json("stamp", SECRET)).status());
        Response confKeys = rest.get("/metadata/sources/stamped/confKeys");
        assertEquals(confKeys.toString(), 200, confKeys.status());
        assertFalse(confKeys.body(), confKeys.body().contains(SECRET));
        assertTrue(confKeys.body(), confKeys.body().contains("******"));

        assertEquals(201, rest.post("/streams", json("sql", "CREATE STREAM ticks () WITH (TYPE=\"simulator\")"))
                .status());
        assertRefused(rest.post("/rules", json("id", "stamping", "sql", "SELECT * FROM ticks", "triggered", false,
                "actions", List.of(Map.of("stamped", Map.of("copies", 2))))), "stamp: ");
        Response created = rest.post("/rules", json("id", "stamping", "sql", "SELECT * FROM ticks",
                "triggered", false, "actions", List.of(Map.of("stamped", Map.of("stamp", SECRET)))));
        assertEquals(created.toString(), 201, created.status());
        for (String path : List.of("/rules/stamping", "/rules/stamping/status", "/rules")) {
            Response shown = rest.get(path);
            assertEquals(shown.toString(), 200, shown.status());
            assertFalse(path + ": " + shown.body(), shown.body().contains(SECRET));
        }
        assertTrue(rest.get("/rules/stamping").body(), rest.get("/rules/stamping").body().contains("******"));
        rest.delete("/streams/ticks");
    }

    /** A source and a sink of type {@code stamped}, whose schema in this bundle marks {@code stamp} secret. */
    private void register() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ConnectorFactory.TYPE_PROPERTY, "stamped");
        properties.put(ConnectorFactory.SCHEMA_PROPERTY, "tether-it/stamped.json");
        registrations.add(context.registerService(SourceProvider.class, new SourceProvider() {
            @Override
            public List<io.tether.api.connection.PropError> validate(String datasource, Map<String, Object> props) {
                return List.of();
            }

            @Override
            public Source create(String datasource, Map<String, Object> props) {
                return new Source() {
                    @Override
                    public void open(SourceContext sourceContext) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        }, properties));
        registrations.add(context.registerService(SinkProvider.class, new SinkProvider() {
            @Override
            public List<io.tether.api.connection.PropError> validate(Map<String, Object> props) {
                return List.of();
            }

            @Override
            public Sink create(Map<String, Object> props) {
                return new Sink() {
                    @Override
                    public void open(SinkContext sinkContext) {
                    }

                    @Override
                    public void collect(List<Map<String, Object>> records) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        }, properties));
    }

    private Rest ready() {
        Rest rest = new Rest(context);
        rest.awaitReady();
        return rest;
    }

    private static List<String> typs(JsonNode types) {
        List<String> typs = new ArrayList<>();
        types.forEach(type -> typs.add(type.path("typ").asText()));
        return typs;
    }

    private static void assertRefused(Response response, String naming) {
        assertEquals(response.toString(), 400, response.status());
        String message = response.json().path("message").asText();
        assertTrue(message, message.contains(naming));
    }
}
